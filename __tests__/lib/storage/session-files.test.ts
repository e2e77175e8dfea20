import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenAI, LLMTrace, traced, withSpan, addEvent, setSessionMetadata } from '../../../index.js';
import { BatchSpanProcessor, createSessionFileExporter, parseSessionLines, readSessionFile, sessionFileName, spanToSessionEvents, summariseSession, type SessionEvent } from '../../../lib/extend/index.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { makeSpan } from '../../helpers/make-spans.js';
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js';
import { groupStats, sessionEventsToSpans } from '../../../lib/query/index.js';

afterAll(removeTempDirs);

describe('span to session lines (pure mapping)', () => {
  test('an llm span becomes llm_request at its start and llm_response at its end, with tokens and model', () => {
    const span = makeSpan({
      name: 'chat',
      attributes: {
        [GenAI.REQUEST_MODEL]: 'gpt-4o-mini',
        [GenAI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18',
        [GenAI.USAGE_INPUT_TOKENS]: 12,
        [GenAI.USAGE_OUTPUT_TOKENS]: 5,
        [LLMTrace.COST_USD]: 0.00001,
      },
    }).toJSON();
    const lines = spanToSessionEvents(span, 's1');
    expect(lines.map((l) => l.type)).toEqual(['llm_request', 'llm_response']);
    expect(lines[0]).toMatchObject({ timestamp: new Date(span.startTime).toISOString(), session_id: 's1' });
    expect(lines[0]!.data).toMatchObject({ span_id: span.id, trace_id: span.traceId, model: 'gpt-4o-mini' });
    expect(lines[1]!.data).toEqual({
      span_id: span.id,
      name: 'chat',
      model: 'gpt-4o-mini-2024-07-18',
      duration_ms: span.duration,
      input_tokens: 12,
      output_tokens: 5,
      cost_usd: 0.00001,
    });
  });

  test('a failed llm span ends with an error line; span events become custom lines', () => {
    const span = makeSpan({ name: 'chat', error: { type: 'RateLimitError', message: 'slow down' } });
    const json = { ...span.toJSON(), events: [{ name: 'cache_lookup', time: span.startTime + 0.1, attributes: { hit: false } }] };
    const lines = spanToSessionEvents(json, 's1');
    expect(lines.map((l) => l.type)).toEqual(['llm_request', 'custom', 'error']);
    expect(lines[1]!.data).toEqual({ span_id: span.id, name: 'cache_lookup', attributes: { hit: false } });
    expect(lines[2]!.data).toMatchObject({ error_type: 'RateLimitError', message: 'slow down', kind: 'llm' });
  });
});

describe('session summaries count model calls as the query layer does', () => {
  test('a failure lands with the successes of its model, and a wrapper of a model call is no call of its own', () => {
    const asked = { [GenAI.REQUEST_MODEL]: 'gpt-4o-mini' };
    const answered = { ...asked, [GenAI.RESPONSE_MODEL]: 'gpt-4o-mini-2024-07-18', [GenAI.USAGE_INPUT_TOKENS]: 10, [GenAI.USAGE_OUTPUT_TOKENS]: 4 };
    const sdk = [makeSpan({ name: 'create', attributes: answered }), makeSpan({ name: 'create', attributes: answered }), makeSpan({ name: 'create', attributes: asked, error: { type: 'RateLimitError', message: '429' } })];
    const wrappers = sdk.map((s) => makeSpan({ name: 'ask', attributes: { ...asked, [LLMTrace.MODEL_CALL_IN_CHILDREN]: true }, error: s.error }));
    const lines = [...sdk, ...wrappers].flatMap((span) => spanToSessionEvents(span.toJSON(), 's1'));
    const summary = summariseSession(lines);
    expect(summary.calls).toBe(3);
    expect(Object.entries(summary.models).map(([model, m]) => [model, m.calls, m.errors, m.inputTokens])).toEqual([['gpt-4o-mini', 3, 1, 20]]);
    // The lines say so, and read back as spans they are wrappers again (the CLI's stats over session files).
    expect(lines.filter((l) => l.data.model_call_in_children === true)).toHaveLength(3);
    const [row] = groupStats(sessionEventsToSpans(lines), 'model');
    expect([row!.key, row!.calls, row!.failures]).toEqual(['gpt-4o-mini', 3, 1]);
  });
});

describe('JSONL session exporter', () => {
  test('setSessionMetadata writes the seed\'s session_metadata line in the session\'s file and sets it on the session span, redacted', async () => {
    const store = freshStore();
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    const key = 'sk-proj-' + 'Ab12Cd34Ef56Gh78'.repeat(3);
    let sessionId = '';
    await withSpan('analysis', { kind: 'session' }, async (span) => {
      sessionId = span.id;
      setSessionMetadata({ user: 'researcher1', project: 'finance_taxonomy', version: '1.2.3', runs: 3, note: `token ${key}`, password: 'hunter2-plain', [key]: 1 });
    });
    setSessionMetadata({ user: 'outside' }); // no session scope: the exporter's own session
    await processor.shutdown();
    const { events } = await readSessionFile(join(dir, sessionFileName(sessionId)));
    expect(events.map((e) => e.type)).toEqual(['session_start', 'session_metadata', 'session_end']);
    const metadata = events[1]!;
    expect(metadata.session_id).toBe(sessionId);
    expect(metadata.data).toMatchObject({ user: 'researcher1', project: 'finance_taxonomy', version: '1.2.3', runs: 3 });
    expect(String(metadata.data.note)).not.toContain('Ab12Cd34');
    // A value under a secret-looking name is masked whatever it is; a secret used as a name is masked too.
    expect(metadata.data.password).toBe('[REDACTED]');
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(JSON.stringify(events)).not.toContain('Ab12Cd34');
    const session = store.getRecent(1)[0]!;
    expect(JSON.stringify(session.attributes)).not.toMatch(/hunter2|Ab12Cd34/);
    expect(session.attributes).toMatchObject({ 'llmtrace.session.user': 'researcher1', 'llmtrace.session.version': '1.2.3', 'llmtrace.session.runs': 3 });
    const own = await readSessionFile(join(dir, sessionFileName(exporter.defaultSessionId)));
    expect(own.events.filter((e) => e.type === 'session_metadata').map((e) => e.data)).toEqual([{ user: 'outside' }]);
    expect(() => setSessionMetadata({ nested: { a: 1 } } as never)).toThrow(
      'llmtrace: setSessionMetadata: nested must be a string, a finite number or a boolean, got [object Object] (object)',
    );
  });

  test('writes one file per session, framed by session_start and session_end, readable back', async () => {
    const store = freshStore();
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, flushOnExit: false });
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false }).attach(store);
    const ask = traced(async (q: string) => ({ q, usage: { prompt_tokens: 3, completion_tokens: 2 }, model: 'm1' }), {
      name: 'ask',
      kind: 'llm',
    });
    const fail = traced(async () => Promise.reject(new TypeError('bad input')), { name: 'fail', kind: 'llm' });
    let sessionId = '';
    await withSpan('chat-session', { kind: 'session' }, async (span) => {
      sessionId = span.id;
      await ask('one');
      addEvent('user_feedback', { score: 5 });
      await ask('two');
      await fail().catch(() => undefined);
    });
    await processor.shutdown();

    const path = join(dir, sessionFileName(sessionId));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { events, errors } = await readSessionFile(path);
    expect(errors).toEqual([]);
    // Lines are in timestamp order; timestamps have millisecond resolution, so the custom event
    // (between the two asks) may tie with its neighbours: check it apart from the others.
    expect(events.filter((e) => e.type !== 'custom').map((e) => e.type)).toEqual([
      'session_start',
      'llm_request',
      'llm_response',
      'llm_request',
      'llm_response',
      'llm_request',
      'error',
      'session_end',
    ]);
    expect(events.filter((e) => e.type === 'custom').map((e) => e.data.name)).toEqual(['user_feedback']);
    expect(new Set(events.map((e) => e.session_id))).toEqual(new Set([sessionId]));
    const end = events[events.length - 1]!;
    expect(end.data.duration_seconds).toEqual(expect.any(Number));
    expect(end.data.duration_seconds as number).toBeGreaterThanOrEqual(0);

    const summary = summariseSession(events);
    expect(summary).toMatchObject({ sessionIds: [sessionId], calls: 3, errors: 1, customEvents: 1 });
    const totalCalls = Object.values(summary.models).reduce((n, m) => n + m.calls, 0);
    expect(totalCalls).toBe(3);
  });

  test('spans outside any session go to the default session, ended at shutdown', async () => {
    const store = freshStore();
    const dir = tempDir();
    const exporter = createSessionFileExporter({ dir, defaultSessionId: 'batch-job', flushOnExit: false });
    const processor = new BatchSpanProcessor(exporter, { flushOnExit: false, maxExportBatchSize: 1 }).attach(store);
    const step = traced((x: number) => x + 1, { name: 'step', kind: 'tool' });
    expect([step(1), step(2)]).toEqual([2, 3]);
    await processor.shutdown();
    const text = readFileSync(join(dir, 'session-batch-job.jsonl'), 'utf8');
    const types = text.trim().split('\n').map((line) => (JSON.parse(line) as SessionEvent).type);
    expect(types).toEqual(['session_start', 'custom', 'custom', 'session_end']);
  });

  test('the reader skips malformed lines and names the file and line of each', async () => {
    const file = join(tempDir(), 'session-x.jsonl');
    const good = (type: string): string => JSON.stringify({ type, timestamp: '2026-01-01T00:00:00.000Z', session_id: 'x', data: {} });
    writeFileSync(file, [good('session_start'), '{"type": "llm_req', good('custom'), '{"type":"bogus"}', ''].join('\n'));
    const { events, errors } = await readSessionFile(file);
    expect(events.map((e) => e.type)).toEqual(['session_start', 'custom']);
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
    expect(errors[0]!.message).toMatch(new RegExp(`^llmtrace: ${file}:2: malformed JSON`));
    expect(errors[1]!.message).toBe(`llmtrace: ${file}:4: unknown type "bogus"`);
  });

  test('the summariser reports calls, errors, tokens and latency per model', () => {
    const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const { events } = parseSessionLines(
      [
        { type: 'session_start', timestamp: at(0), session_id: 's', data: {} },
        { type: 'llm_response', timestamp: at(1), session_id: 's', data: { model: 'a', duration_ms: 100, input_tokens: 10, output_tokens: 4, cost_usd: 0.5 } },
        { type: 'llm_response', timestamp: at(2), session_id: 's', data: { model: 'a', duration_ms: 300, input_tokens: 20, output_tokens: 6 } },
        { type: 'error', timestamp: at(3), session_id: 's', data: { model: 'b', kind: 'llm', duration_ms: 50, error_type: 'E' } },
        { type: 'session_end', timestamp: at(4), session_id: 's', data: { duration_seconds: 4 } },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
      'mem',
    );
    const summary = summariseSession(events);
    expect(summary).toMatchObject({ calls: 3, errors: 1, inputTokens: 30, outputTokens: 10, costUsd: 0.5, durationSeconds: 4 });
    expect(summary.models.a).toEqual({
      calls: 2,
      errors: 0,
      inputTokens: 30,
      outputTokens: 10,
      costUsd: 0.5,
      avgLatencyMs: 200,
      p50LatencyMs: 100,
      maxLatencyMs: 300,
    });
    expect(summary.models.b).toMatchObject({ calls: 1, errors: 1, maxLatencyMs: 50 });
  });
});

describe('sessionFileName', () => {
  it('gives different session ids different files, and keeps names path-safe', () => {
    const ids = ['a/b', 'a_b', 'a b', 'a:b', 'run-1', 'run.1', '../etc'];
    const names = ids.map(sessionFileName);
    expect(new Set(names).size).toBe(ids.length);
    for (const name of names) expect(name).toMatch(/^session-[A-Za-z0-9._-]+\.jsonl$/);
    expect(sessionFileName('run-1')).toBe('session-run-1.jsonl');
  });
});
