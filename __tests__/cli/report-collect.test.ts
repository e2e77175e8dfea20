/**
 * The report's headline counts each call and each failure once: a decorated method around an SDK
 * call (a wrapper of a model call) is neither a call nor, passing the SDK's error on, a failure.
 */
import { collectReport } from '../../cli/report/collect.js';
import type { SpanData } from '../../index.js';
import { openSource } from '../../lib/query/index.js';
import { writeStore } from '../helpers/query-store.js';
import { removeTempDirs, tempDir } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

let seq = 0;
function span(name: string, fields: Partial<SpanData>): SpanData {
  seq++;
  const id = seq.toString(16).padStart(16, '0');
  return { id, traceId: 'a'.repeat(32), name, kind: 'llm', startTime: 1_800_000_000_000 + seq, endTime: 1_800_000_000_100 + seq, duration: 100, status: 'success', events: [], scopes: {}, sampled: true, attributes: { 'gen_ai.request.model': 'gpt-4o-mini' }, ...fields };
}

test('calls and errors of the headline: one per request, one per failure', async () => {
  const failed = { status: 'error' as const, error: { type: 'RateLimitError', message: '429' } };
  const spans = [
    span('create', {}),
    span('ask', { attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'llmtrace.model_call.in_children': true } }),
    span('create', failed),
    span('ask', { ...failed, attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'llmtrace.model_call.in_children': true, 'llmtrace.error.in_children': true } }),
    span('lookup', { kind: 'tool', attributes: {} }),
  ];
  const dir = tempDir();
  await writeStore(dir, spans);
  const report = await collectReport([await openSource(dir)], {}, Date.now());
  const [input] = report.inputs;
  expect({ calls: input!.calls, errors: input!.errors, errorRate: input!.errorRate }).toEqual({ calls: 3, errors: 1, errorRate: 1 / 3 });
  expect(report.byModel.map((r) => [r.key, r.calls, r.failures])).toEqual([['gpt-4o-mini', 2, 1]]);
});
