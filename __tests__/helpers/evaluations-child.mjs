// Child process for __tests__/lib/evaluations/processes.test.ts, copied into a project where the
// packed tarball is installed: imports llmtrace as a user does and records evaluations into the
// store in LLMTRACE_TEST_DIR through startTracing().
// Modes (argv[2]), count in argv[3], tag in argv[4]:
//   write    record N decisions (evaluator "arbiter-<tag>") inside traced calls, yielding between
//            them, shut down, print "done <written>", exit 0
//   sigterm  with a file store attached by hand (no startTracing), record N scores, then send
//            itself SIGTERM at once (nothing flushed yet): the store's exit flush must write them
//            before the signal ends the process
import { configure, currentSpan, openFileStore, recordEvaluation, score, startTracing, traced, TraceStore } from 'llmtrace';
import { attachEvaluationSink } from 'llmtrace/extend';

const dir = process.env.LLMTRACE_TEST_DIR;

const [mode, countText, tag = 'x'] = process.argv.slice(2);
const count = Number(countText);
const logger = { format: 'json', minLevel: 'warn' };

if (mode === 'write') {
  const tracing = await startTracing({
    store: new TraceStore({ maxSpans: 1000 }),
    logger,
    aggregation: false,
    fileStore: { dir, maxSegmentRecords: 50 },
  });
  const decide = traced(
    async (i) => {
      recordEvaluation({
        evaluator: `arbiter-${tag}`,
        prompt: `question ${i}`,
        candidates: [{ model: 'gpt-4o', response: `a${i}` }, { model: 'claude-haiku-4-5', response: `b${i}` }],
        chosen: i % 2,
      });
      return currentSpan().traceId;
    },
    { name: 'decide', kind: 'chain' },
  );
  for (let i = 0; i < count; i++) {
    await decide(i);
    if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await tracing.shutdown();
  process.stdout.write(`done ${tracing.fileStore.stats().writtenEvaluations}\n`);
} else if (mode === 'sigterm') {
  configure({ logger });
  attachEvaluationSink(await openFileStore({ dir }));
  for (let i = 0; i < count; i++) score({ name: `score-${tag}`, value: i, model: 'gpt-4o' });
  process.kill(process.pid, 'SIGTERM');
  setInterval(() => undefined, 1_000); // stays alive until the exit flush lets the signal through
} else {
  throw new Error(`unknown mode ${mode}`);
}
