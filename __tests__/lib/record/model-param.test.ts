/** Finding the requested model of a call: parameter by name or index, defaults, option objects, `this.model`. */
import { createModelResolver, readParameters } from '../../../lib/record/model-param.js';
import { diagnosticCounts, resetDiagnostics } from '../../../lib/internal/diagnostics.js';

describe('readParameters', () => {
  it('reads names and literal string defaults of functions, methods and arrows', () => {
    expect(readParameters(function (prompt: string, model = 'mistral:latest') {
      return [prompt, model];
    })).toEqual([{ name: 'prompt' }, { name: 'model', defaultValue: 'mistral:latest' }]);
    const obj = { async *gen(a: number, b = "x") { yield [a, b]; } };
    expect(readParameters(obj.gen)).toEqual([{ name: 'a' }, { name: 'b', defaultValue: 'x' }]);
    expect(readParameters(async (a: number, ...rest: unknown[]) => [a, rest])).toEqual([{ name: 'a' }, { name: 'rest' }]);
  });

  it('reads a bare one-parameter arrow without looking into its body', () => {
    const model = 'outer';
    const call = (value: string) => value;
    // Written out so the source has no parentheses around the parameter.
    const bare = new Function('call', 'model', 'return x => call(model)')(call, model) as Function;
    expect(readParameters(bare)).toEqual([{ name: 'x' }]);
    const asyncBare = new Function('return async prompt => prompt')() as Function;
    expect(readParameters(asyncBare)).toEqual([{ name: 'prompt' }]);
  });

  it('ignores commas and parentheses inside defaults, strings and comments', () => {
    const fn = new Function(
      `return function (a = ')', /* model, */ b = f(1, 2), { c, d } = {}, // trailing, comment
        model = 'm,1') { return a; }`,
    )() as Function;
    expect(readParameters(fn).map((p) => p.name)).toEqual(['a', 'b', '{ c, d }', 'model']);
    expect(readParameters(fn)[3]).toEqual({ name: 'model', defaultValue: 'm,1' });
  });
});

describe('createModelResolver', () => {
  function generate(_prompt: string, model = 'mistral:latest', _options?: object): void {
    void model;
  }

  it('uses the parameter named model, then its default when the argument is omitted', () => {
    const resolve = createModelResolver(generate, undefined);
    expect(resolve(undefined, ['p', 'llama3'])).toBe('llama3');
    expect(resolve(undefined, ['p'])).toBe('mistral:latest');
  });

  it('uses modelParam by name or index', () => {
    function call(_p: string, engine: string): void {
      void engine;
    }
    expect(createModelResolver(call, 'engine')(undefined, ['p', 'phi3'])).toBe('phi3');
    expect(createModelResolver(call, 1)(undefined, ['p', 'qwen'])).toBe('qwen');
  });

  it('falls back to a model field of an object argument, then this.model', () => {
    function chat(_request: object): void {}
    const resolve = createModelResolver(chat, undefined);
    expect(resolve(undefined, [{ model: 'gpt-4o', messages: [] }])).toBe('gpt-4o');
    expect(resolve({ model: 'from-this' }, [{ messages: [] }])).toBe('from-this');
    expect(resolve({}, [{}])).toBeUndefined();
    // A modelParam that is not a parameter is looked up as a field name.
    expect(createModelResolver(chat, 'engine')(undefined, [{ engine: 'e1' }])).toBe('e1');
    expect(createModelResolver(chat, 'engine')({ engine: 'e2' }, [{}])).toBe('e2');
  });

  it('does not mistake a bare arrow body for a model parameter', () => {
    const bare = new Function('return x => x')() as Function;
    expect(createModelResolver(bare, undefined)(undefined, ['not-a-model'])).toBeUndefined();
  });

  it('reads an async method TypeScript compiled for ES2015/ES2016 through the generator that holds its parameters', () => {
    // Exactly what tsc emits for `async generateText(prompt: string, model = 'gpt-4o-mini')` below ES2017.
    const compiled = new Function(
      '__awaiter',
      'return function generateText(prompt_1) {\n    return __awaiter(this, arguments, void 0, function* (prompt, model = \'gpt-4o-mini\') {\n        return model;\n    });\n}',
    )(() => undefined) as Function;
    expect(readParameters(compiled)).toEqual([{ name: 'prompt' }, { name: 'model', defaultValue: 'gpt-4o-mini' }]);
    const resolve = createModelResolver(compiled, 'model');
    expect(resolve(undefined, ['Why?'])).toBe('gpt-4o-mini');
    expect(resolve(undefined, ['Why?', 'gpt-4o'])).toBe('gpt-4o');
  });

  it('warns once when a modelParam names no parameter and no argument or this has such a field (a typo)', () => {
    resetDiagnostics();
    const resolve = createModelResolver(function ask(prompt: string, model: string) { return [prompt, model]; }, 'modle');
    expect(resolve(undefined, ['hi', 'gpt-4o'])).toBeUndefined();
    expect(resolve(undefined, ['hi', 'gpt-4o'])).toBeUndefined();
    expect(diagnosticCounts()['model-param.not-found:ask:modle']).toBe(2); // counted each time, logged once
    const byField = createModelResolver(function ask2(options: object) { return options; }, 'modelName');
    expect(byField(undefined, [{ modelName: 'gpt-4o' }])).toBe('gpt-4o'); // a field name is not a typo
    expect(diagnosticCounts()['model-param.not-found:ask2:modelName']).toBeUndefined();
  });

  it('rejects an invalid modelParam with a TypeError naming it', () => {
    expect(() => createModelResolver(generate, '')).toThrow(/^llmtrace: modelParam must be/);
    expect(() => createModelResolver(generate, 1.5)).toThrow(/got 1.5 \(number\)/);
  });
});
