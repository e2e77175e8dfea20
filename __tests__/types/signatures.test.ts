/**
 * Type-level tests, checked by `npm run typecheck` (part of `npm test`): `traced()` keeps the wrapped
 * function's type, and the decorators accept methods and reject wrong use. Every `@ts-expect-error`
 * line fails the typecheck if the error it expects goes away. The runtime assertions keep Jest happy
 * and check the same facts at run time where they have a run-time face.
 */
import { monitorLLM, traceModelCall, traced, withSpan, type Span, type TraceOptions } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

async function generateText(prompt: string, model = 'mistral:latest'): Promise<{ text: string; model: string }> {
  return { text: prompt, model };
}
function tokenize(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}
async function* stream(n: number): AsyncGenerator<string, void, undefined> {
  for (let i = 0; i < n; i++) yield String(i);
}

const tracedGenerate = traced(generateText, { name: 'generate_text' });
const tracedTokenize = traced(tokenize);
const tracedStream = traced(stream);

assertType<Equal<typeof tracedGenerate, typeof generateText>>();
assertType<Equal<typeof tracedTokenize, typeof tokenize>>();
assertType<Equal<typeof tracedStream, typeof stream>>();
assertType<Equal<ReturnType<typeof tracedTokenize>, number[]>>();

/** Wrong uses, for the typechecker; the last test calls it to show the run-time guard agrees. */
export function wrongUses(): void {
  // @ts-expect-error a traced function keeps its parameter types
  void tracedGenerate(42);
  // @ts-expect-error a traced sync function does not become async
  void tracedTokenize('a').then;
  // @ts-expect-error traced() needs a function
  traced('not a function');
  // @ts-expect-error unknown options are rejected
  traced(tokenize, { nmae: 'typo' });
  // @ts-expect-error kind is a closed set
  traced(tokenize, { kind: 'database' });
  // @ts-expect-error capture is a closed set
  traced(tokenize, { capture: 'everything' });

  // @ts-expect-error @monitorLLM never captures content, so it takes no capture option
  monitorLLM({ capture: 'full' });
  // @ts-expect-error @monitorLLM takes no byte cap either
  monitorLLM({ maxContentBytes: 10 });
}

const withSpanValue: Promise<number> = withSpan('scope', { kind: 'run' }, async (span: Span) => span.name.length);
void withSpanValue;
// @ts-expect-error withSpan returns what the block returns
const wrongValue: string = withSpan('scope', () => 1);
void wrongValue;

class Client {
  model = 'm';

  @traceModelCall({ modelParam: 'model' } satisfies TraceOptions)
  async generate(prompt: string, model = 'x'): Promise<string> {
    return prompt + model;
  }

  @monitorLLM()
  embed(text: string): number[] {
    return [text.length];
  }
}

/** Decorators on non-methods, for the typechecker; at run time they throw at class definition. */
export function wrongDecoratorUses(): unknown {
  class Bad {
    // @ts-expect-error a method decorator cannot decorate a field
    @traceModelCall() field = 1;

    // @ts-expect-error nor an accessor
    @monitorLLM() get size(): number {
      return 1;
    }
  }
  return Bad;
}

const client = new Client();
assertType<Equal<ReturnType<typeof client.generate>, Promise<string>>>();
assertType<Equal<ReturnType<typeof client.embed>, number[]>>();

describe('type-level signatures (checked by tsc; see npm run typecheck)', () => {
  it('the typed wrappers behave as their types say', async () => {
    freshStore();
    await expect(tracedGenerate('hi')).resolves.toEqual({ text: 'hi', model: 'mistral:latest' });
    expect(tracedTokenize('a')).toEqual([97]);
    expect(await withSpanValue).toBe(5);
    expect(client.embed('abc')).toEqual([3]);
  });

  it('the uses the types reject also fail at run time where they can', () => {
    expect(wrongUses).toThrow(TypeError);
    expect(wrongDecoratorUses).toThrow(/decorates methods only/);
  });
});
