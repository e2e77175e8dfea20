/**
 * Legacy decorators in a program that loaded no metadata polyfill (no `import 'reflect-metadata'`):
 * llmtrace does not load one either (decorators/legacy-metadata.ts), the options are still kept
 * and found through subclasses, and there are no `design:*` types to read.
 */
import { getTraceMetadata, monitorLLM, traceModelCall } from '../../index.js';

class Client {
  @traceModelCall({ modelParam: 'model' })
  async generateText(prompt: string, model: string = 'gpt-4o-mini'): Promise<string> {
    return `${prompt}:${model}`;
  }

  @monitorLLM()
  embed(text: string): number[] {
    return [text.length];
  }
}

class Subclient extends Client {}

describe('legacy decorators without a metadata polyfill', () => {
  it('installs no global Reflect metadata API', () => {
    expect((Reflect as unknown as { getMetadata?: unknown }).getMetadata).toBeUndefined();
  });

  it('keeps the options per method, without design:* types', () => {
    const meta = getTraceMetadata(Client.prototype, 'generateText');
    expect(meta).toMatchObject({ decorator: 'traceModelCall', paramTypes: [], returnType: undefined });
    expect(meta?.options.modelParam).toBe('model');
    expect(getTraceMetadata(Client.prototype, 'embed')?.decorator).toBe('monitorLLM');
  });

  it('finds a method\'s options through a subclass, as Reflect metadata does', () => {
    expect(getTraceMetadata(Subclient.prototype, 'generateText')?.decorator).toBe('traceModelCall');
    expect(getTraceMetadata(Subclient.prototype, 'missing')).toBeUndefined();
  });

  it('still traces the decorated methods', async () => {
    await expect(new Subclient().generateText('hi', 'm')).resolves.toBe('hi:m');
    expect(new Client().embed('abc')).toEqual([3]);
  });
});
