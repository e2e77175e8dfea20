/** The opt-in per-call log line: LLM_CALL_METRICS / LLM_CALL_ERROR with the classic fields plus correlation and cost. */
import {
  attachCallLog,
  CALL_ERROR_LOG_MESSAGE,
  CALL_METRICS_LOG_MESSAGE,
  configure,
  createLogger,
  LLMTrace,
  startTracing,
  traced,
  TraceStore,
  withSpan,
} from '../../index.js';
import { freshStore } from '../helpers/fresh-store.js';

const completion = (model: string) => ({
  id: 'chatcmpl-1',
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165 },
});

class RateLimitError extends Error {
  override name = 'RateLimitError';
}

describe('attachCallLog', () => {
  it('logs LLM_CALL_METRICS for a successful call with the seed fields, correlation and cost', async () => {
    freshStore();
    const logger = createLogger({ format: 'hidden' });
    const stop = attachCallLog({ logger });
    const chat = traced(async (model: string, _messages: unknown[]) => completion(model), {
      name: 'generate_text',
      kind: 'llm',
      context: 'agent_turn',
    });
    let runId = '';
    await withSpan('run', { kind: 'run' }, async (run) => {
      runId = run.id;
      await chat('gpt-4o-mini', [{ role: 'user', content: 'hello' }]);
    });
    stop();
    await chat('gpt-4o-mini', []);
    const lines = logger.buffer.query().filter((l) => l.message === CALL_METRICS_LOG_MESSAGE);
    expect(lines).toHaveLength(1);
    const f = lines[0]!.fields;
    expect(f).toMatchObject({
      model: 'gpt-4o-mini',
      function: 'generate_text',
      success: true,
      error_type: null,
      error_message: null,
      prompt_tokens: 120,
      completion_tokens: 45,
      total_tokens: 165,
      trace_flags: '01',
      caller_context: { context: 'agent_turn', run_id: runId, parent_span_id: runId },
    });
    expect(f.request_id).toBe(f.span_id);
    expect(f.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(f.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[0]!.traceId).toBe(f.trace_id);
    expect(lines[0]!.spanId).toBe(f.span_id);
    expect(typeof f.cost_usd).toBe('number');
    expect(f.cost_usd as number).toBeGreaterThan(0);
    expect(new Date(f.timestamp as string).toISOString()).toBe(f.timestamp);
    expect(typeof f.duration_seconds).toBe('number');
    expect(String(f.duration_seconds).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4);
  });

  it('logs LLM_CALL_ERROR at error level with the error type and redacted message, and rethrows the same error', async () => {
    freshStore();
    const logger = createLogger({ format: 'hidden' });
    const stop = attachCallLog({ logger });
    const thrown = new RateLimitError('429 for key sk-abcdefghijklmnopqrstuvwxyz123456');
    const chat = traced(async (model: string) => {
      if (model) throw thrown;
    }, { name: 'generate_text', kind: 'llm' });
    await expect(chat('gpt-4o')).rejects.toBe(thrown);
    stop();
    const [line] = logger.buffer.query({ minLevel: 'error' });
    expect(line!.message).toBe(CALL_ERROR_LOG_MESSAGE);
    expect(line!.fields).toMatchObject({ success: false, error_type: 'RateLimitError', model: 'gpt-4o', prompt_tokens: null });
    expect(line!.fields.error_message).toMatch(/^429 for key /);
    expect(line!.fields.error_message).not.toContain('abcdefghijklmnop');
  });

  it('logs sampled-out calls too, marked trace_flags 00, and skips non-model spans', async () => {
    freshStore();
    configure({ sampling: { ratio: 0, keepErrors: false } });
    const logger = createLogger({ format: 'hidden' });
    const stop = attachCallLog({ logger });
    await traced(async () => completion('m'), { name: 'call', kind: 'llm' })();
    await traced(async () => 1, { name: 'tool', kind: 'tool' })();
    stop();
    configure({ sampling: { ratio: 1 } });
    const lines = logger.buffer.query();
    expect(lines.map((l) => [l.message, l.fields.function, l.fields.trace_flags])).toEqual([[CALL_METRICS_LOG_MESSAGE, 'call', '00']]);
  });

  it('rejects bad options naming them', () => {
    expect(() => attachCallLog({ kinds: 'llm' as never })).toThrow(/logCalls\.kinds/);
    expect(() => attachCallLog({ logger: {} as never })).toThrow(/logCalls\.logger/);
    expect(() => attachCallLog({ everything: true } as never)).toThrow(/everything/);
  });
});

describe('startTracing({ logCalls })', () => {
  it('attaches the call log to the store and detaches it at shutdown', async () => {
    const logger = createLogger({ format: 'hidden' });
    const tracing = await startTracing({ store: new TraceStore(), logger, fileStore: false, aggregation: false, logCalls: true });
    const call = traced(async () => completion('gpt-4o-mini'), { name: 'chat', kind: 'llm' });
    await call();
    await tracing.shutdown();
    await call();
    const lines = logger.buffer.query().filter((l) => l.message === CALL_METRICS_LOG_MESSAGE);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.fields[LLMTrace.FUNCTION]).toBeUndefined();
    expect(lines[0]!.fields.function).toBe('chat');
  });

  it('refuses a bad logCalls value before anything starts', async () => {
    await expect(startTracing({ fileStore: false, aggregation: false, logCalls: 'yes' as never })).rejects.toThrow(/logCalls/);
  });
});
