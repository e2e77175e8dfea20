// Child process for __tests__/lib/storage/processes.test.ts, copied into a project where the packed
// tarball is installed: imports llmtrace as a user does and writes to the store in LLMTRACE_TEST_DIR.
// Modes (argv[2]):
//   flush-loop  export big batches and flush forever, printing "flushed <n>" (killed by the test)
//   sigterm     trace N calls with a slow BatchSpanProcessor, print "ready", wait for a signal
//   write       export N spans (own ids prefixed by argv[4]) in batches, shut down, exit 0
import { configure, openFileStore, traced, TraceStore } from 'llmtrace';
import { BatchSpanProcessor } from 'llmtrace/extend';

const dir = process.env.LLMTRACE_TEST_DIR;

const mode = process.argv[2];
const count = Number(process.argv[3] ?? 100);
const store = new TraceStore({ maxSpans: 1000 });
configure({ store, logger: { format: 'json', minLevel: 'warn' } });

const payload = 'x'.repeat(400);
// Returns usage llmtrace reads, so a model call without usage does not log its diagnostic into stdout.
const call = traced((i) => ({ i, usage: { prompt_tokens: 1, completion_tokens: 1 } }), {
  name: 'child-call',
  kind: 'llm',
  attributes: () => ({ payload }),
});

if (mode === 'flush-loop') {
  const fileStore = await openFileStore({ dir, maxSegmentRecords: 5000, maxSegmentBytes: 64 * 1024 * 1024, flushOnExit: false });
  const pending = [];
  store.subscribe((span) => pending.push(span));
  for (let round = 1; ; round++) {
    for (let i = 0; i < 500; i++) call(i);
    await fileStore.export(pending.splice(0));
    await fileStore.flush();
    process.stdout.write(`flushed ${round}\n`);
  }
} else if (mode === 'sigterm') {
  const fileStore = await openFileStore({ dir });
  new BatchSpanProcessor(fileStore, { scheduledDelayMs: 600_000, maxExportBatchSize: 10_000 }).attach(store);
  for (let i = 0; i < count; i++) call(i);
  process.stdout.write(`ready ${fileStore.stats().writtenSpans}\n`);
  setInterval(() => undefined, 1_000); // stay alive until the signal
} else if (mode === 'write') {
  const fileStore = await openFileStore({ dir, maxSegmentRecords: 50 });
  const spans = [];
  store.subscribe((span) => spans.push(span));
  for (let i = 0; i < count; i++) {
    call(i);
    if (spans.length >= 20) {
      await fileStore.export(spans.splice(0));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await fileStore.export(spans.splice(0));
  await fileStore.shutdown();
  process.stdout.write(`done ${fileStore.stats().writtenSpans}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
