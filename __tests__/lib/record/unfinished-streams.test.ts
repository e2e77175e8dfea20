/**
 * A traced call whose stream result is never read to its end through its iterator still ends its
 * span: a Node Readable consumed with `pipeline()` ends with its `end` (or its error), a stream
 * never iterated ends `unfinished` when tracing shuts down (what exit handling runs too) as of its
 * return, or when it is garbage-collected. The stream is left exactly as the caller would have it.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { traced, type Span, type TraceStore } from '../../../index.js';
import { flushAllForExit, flushAllSync, onExit } from '../../../lib/internal/exit-hooks.js';
import { endDeferredCalls, hookDeferredEnds } from '../../../lib/record/deferred-ends.js';
import { freshStore } from '../../helpers/fresh-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let store: TraceStore;
beforeEach(() => {
  store = freshStore();
});

function recorded(name: string): Span[] {
  return store.getRecent(100).filter((s) => s.name === name);
}

function sink(): Writable & { chunks: string[] } {
  const chunks: string[] = [];
  return Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(String(chunk)), done()) }), { chunks });
}

describe('a Readable returned by a traced call and consumed without for await', () => {
  test('pipeline(): the span ends completed when the stream ends, and the stream is read as untraced', async () => {
    const open = traced(async () => Readable.from(['a', 'b', 'c']), { name: 'open_stream' });
    const stream = await open();
    const out = sink();
    await pipeline(stream, out);
    expect(out.chunks.join('')).toBe('abc');
    const [span] = recorded('open_stream');
    expect(span?.attributes['llmtrace.stream.end']).toBe('completed');
    expect(span?.status).toBe('success');
    expect(Object.getOwnPropertySymbols(stream)).not.toContain(Symbol.asyncIterator); // the stand-in is gone with the call
  });

  test('a stream that fails: the span ends as an error with it, and the failure still reaches the consumer', async () => {
    const failure = new Error('upstream reset');
    const open = traced(async () => new Readable({ read() { this.destroy(failure); } }), { name: 'failing_stream' });
    await expect(pipeline(await open(), sink())).rejects.toBe(failure);
    await sleep(0);
    const [span] = recorded('failing_stream');
    expect(span?.status).toBe('error');
    expect(span?.error?.message).toBe('upstream reset');
  });
});

describe('a stream never read to its end', () => {
  test('ends unfinished, as of its return, when tracing shuts down (as at exit)', async () => {
    const iterable = { async *[Symbol.asyncIterator]() { yield 1; } };
    const ownIterator = iterable[Symbol.asyncIterator];
    const open = traced(async () => iterable, { name: 'never_read' });
    expect(await open()).toBe(iterable);
    const returned = Date.now();
    await sleep(50);
    expect(recorded('never_read')).toEqual([]);
    endDeferredCalls();
    expect(iterable[Symbol.asyncIterator]).toBe(ownIterator); // its own, put back when the call ended
    const [span] = recorded('never_read');
    expect(span?.attributes['llmtrace.stream.end']).toBe('unfinished');
    expect(span?.status).toBe('success');
    expect(span!.endTime).toBeLessThanOrEqual(returned + 5);
  });

  test('ends unfinished when the program drops the stream (it is garbage-collected)', async () => {
    const open = traced(async function* tokens() { yield 'a'; }, { name: 'dropped' });
    void open(); // the generator is never iterated and nothing keeps it
    for (let round = 0; round < 20 && recorded('dropped').length === 0; round++) {
      gc();
      await sleep(10);
    }
    expect(recorded('dropped').map((s) => s.attributes['llmtrace.stream.end'])).toEqual(['unfinished']);
  });

  test('a stream read in part ends unfinished as of its last chunk, its stream figures measured to that chunk', async () => {
    const open = traced(async function* tokens() { yield 'a'; yield 'b'; yield 'c'; }, { name: 'part' });
    const stream = open();
    await stream.next();
    await sleep(5);
    await stream.next();
    await sleep(80);
    endDeferredCalls();
    const [span] = recorded('part');
    expect(span?.attributes['llmtrace.stream.end']).toBe('unfinished');
    expect(span?.attributes['llmtrace.stream.chunks']).toBe(2);
    expect(span!.attributes['llmtrace.stream.duration_ms'] as number).toBeLessThan(60);
  });

  test('a signal the program handles itself (it may go on) does not end its streams; its real end does', async () => {
    const removeSink = onExit('test-sink', async () => undefined); // a sink that writes at exit, as startTracing's
    try {
      const open = traced(async function* tokens() { yield 'a'; yield 'b'; }, { name: 'kept' });
      const stream = open();
      await flushAllForExit(Date.now() + 1_000, false); // SIGTERM taken by the program's own handler
      expect(recorded('kept')).toEqual([]);
      const seen: string[] = [];
      for await (const token of stream) seen.push(token);
      expect(seen).toEqual(['a', 'b']);
      expect(recorded('kept').map((s) => s.attributes['llmtrace.stream.end'])).toEqual(['completed']);
    } finally {
      removeSink();
    }
  });

  test('a stream returned before tracing started is ended at exit before the sinks registered since write', () => {
    const open = traced(function tokens() { return (function* () { yield 'a'; })(); }, { name: 'early' });
    open(); // returned before any sink: nothing to write it at exit yet
    let endedBeforeSinkWrote: boolean | undefined;
    const removeSink = onExit('late-sink', async () => undefined, () => {
      endedBeforeSinkWrote = recorded('early').length === 1;
    });
    try {
      hookDeferredEnds(true); // what startTracing does once its sinks are registered
      flushAllSync(); // process exit
      expect(endedBeforeSinkWrote).toBe(true);
      expect(recorded('early').map((s) => s.attributes['llmtrace.stream.end'])).toEqual(['unfinished']);
    } finally {
      removeSink();
    }
  });

  test('a frozen async iterable is returned as it is (it cannot be followed: the span ends at the return)', async () => {
    const frozen = Object.freeze({ async *[Symbol.asyncIterator]() { yield 1; yield 2; } });
    const open = traced(async () => frozen, { name: 'frozen' });
    const got = await open();
    expect(got).toBe(frozen);
    const seen: number[] = [];
    for await (const n of got) seen.push(n);
    expect(seen).toEqual([1, 2]);
    expect(recorded('frozen')).toHaveLength(1);
  });

  test('a stream read to its end is not ended again at shutdown', async () => {
    const open = traced(async function* tokens() { yield 'a'; yield 'b'; }, { name: 'read' });
    const seen: string[] = [];
    for await (const token of open()) seen.push(token);
    endDeferredCalls();
    expect(seen).toEqual(['a', 'b']);
    expect(recorded('read').map((s) => s.attributes['llmtrace.stream.end'])).toEqual(['completed']);
  });
});
