/** The decorators compiled as standard (TC39) decorators; the same behaviours as decorators.legacy.test.ts. */
import { getTraceMetadata, monitorLLM, traceModelCall } from '../../index.js';
import { bodies, describeDecoratorBehaviours, type DecoratedClient } from '../helpers/decorator-behaviours.js';

class Client implements DecoratedClient {
  model = 'instance-model';
  failure = new Error('model unavailable');

  @traceModelCall({ modelParam: 'model', context: 'agent_turn' })
  async generateText(prompt: string, model = 'mistral:latest'): Promise<string> {
    return `${prompt}:${model}:${this.model}`;
  }

  @traceModelCall({ modelParam: 1 })
  byIndex(prompt: string, engine: string): string {
    return `${prompt}/${engine}`;
  }

  @traceModelCall({ modelParam: 'engine' })
  async byName(prompt: string, engine: string): Promise<string> {
    return `${prompt}/${engine}`;
  }

  @monitorLLM()
  async withOptions(prompt: string, options: { model: string; temperature?: number }): Promise<string> {
    return `${prompt}/${options.model}`;
  }

  @monitorLLM()
  async fromThis(prompt: string): Promise<string> {
    return `${prompt}/${this.model}`;
  }

  @monitorLLM({ kind: 'embedding', name: 'embed_text' })
  embed(text: string): number[] {
    return [text.length];
  }

  @traceModelCall()
  async *stream(_prompt: string, count: number): AsyncGenerator<string> {
    yield* bodies.stream(count);
  }

  @monitorLLM()
  *numbers(count: number): Generator<number> {
    yield* bodies.numbers(count);
  }

  @traceModelCall({ capture: 'full', maxContentBytes: 256 })
  async full(prompt: string) {
    return bodies.completion(prompt);
  }

  @monitorLLM()
  async monitored(prompt: string) {
    return bodies.completion(prompt);
  }

  @traceModelCall()
  async fails(): Promise<never> {
    throw this.failure;
  }

  @traceModelCall()
  failsSync(): never {
    throw this.failure;
  }
}

describeDecoratorBehaviours(
  'standard',
  () => new Client(),
  () => {
    class Bad {
      // @ts-expect-error a method decorator cannot decorate a field
      @traceModelCall() field = 1;
    }
    return Bad;
  },
);

describe('decorators in standard mode', () => {
  it('keeps per-method options, readable with getTraceMetadata', () => {
    const meta = getTraceMetadata(Client.prototype, 'generateText');
    expect(meta?.decorator).toBe('traceModelCall');
    expect(meta?.options.modelParam).toBe('model');
    expect(meta?.paramTypes).toEqual([]);
    expect(getTraceMetadata(Client.prototype, 'embed')?.decorator).toBe('monitorLLM');
    expect(getTraceMetadata(Client.prototype, 'model')).toBeUndefined();
  });

  it('keeps the method name and length', () => {
    expect(Client.prototype.generateText.name).toBe('generateText');
    expect(Client.prototype.byIndex.length).toBe(2);
  });
});
