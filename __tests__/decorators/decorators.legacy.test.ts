import 'reflect-metadata';
import { getTraceMetadata, monitorLLM, traceModelCall } from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

class Client {
  model = 'instance-model';
  @traceModelCall({ modelParam: 'model', context: 'agent_turn' })
  async generateText(prompt: string, model: string = 'mistral:latest'): Promise<string> {
    return `${prompt}:${model}:${this.model}`;
  }
  @monitorLLM({ kind: 'embedding' })
  embed(text: string): number[] {
    return [text.length];
  }
}

describe('decorators in legacy (experimentalDecorators) mode', () => {
  it('records a span per call and keeps this, value and sync-ness', async () => {
    const store = freshStore();
    const client = new Client();
    await expect(client.generateText('hi')).resolves.toBe('hi:mistral:latest:instance-model');
    const vector = client.embed('abc');
    expect(vector).toEqual([3]);
    const [embed, gen] = store.getRecent(2);
    expect(gen!.attributes['gen_ai.request.model']).toBe('mistral:latest');
    expect(gen!.attributes['llmtrace.context']).toBe('agent_turn');
    expect(embed!.kind).toBe('embedding');
    expect(embed!.attributes['llmtrace.request.bytes']).toBeUndefined();
  });

  it('keeps options and design:* metadata through reflect-metadata', () => {
    const meta = getTraceMetadata(Client.prototype, 'generateText');
    expect(meta?.decorator).toBe('traceModelCall');
    expect(meta?.options.modelParam).toBe('model');
    expect(meta?.paramTypes).toEqual(['String', 'String']);
    expect(meta?.returnType).toBe('Promise');
    expect(Reflect.getMetadata('llmtrace:trace', Client.prototype, 'embed').decorator).toBe('monitorLLM');
  });
});
