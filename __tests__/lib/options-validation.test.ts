import { describe, expect, it } from '@jest/globals';
import { startTracing } from '../../lib/start-tracing.js';
import { configure } from '../../lib/config.js';

describe('startTracing options', () => {
  it('refuses an unknown key and names the nearest valid one', async () => {
    await expect(startTracing({ filestore: false } as never)).rejects.toThrow(
      'llmtrace: startTracing: unknown option "filestore", did you mean "fileStore"?',
    );
  });

  it('refuses null options naming the value and its type', async () => {
    await expect(startTracing(null as never)).rejects.toThrow('llmtrace: startTracing options must be an object, got null (object)');
  });
});

describe('configure options', () => {
  it('refuses an unknown key and names the nearest valid one', () => {
    expect(() => configure({ sampleing: {} } as never)).toThrow('llmtrace: configure: unknown option "sampleing", did you mean "sampling"?');
  });
});
