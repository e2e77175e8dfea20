// Child for __tests__/faults/unhandled-rejection.test.ts: one rejection scenario, run traced (the
// package installed from its packed tarball in the project this file is copied into) or untraced
// (llmtrace not loaded at all).
// Usage: node rejection-child.mjs <traced|untraced> <scenario>
const [mode, scenario] = process.argv.slice(2);
let wrap = (fn) => fn;
if (mode === 'traced') {
  const { traced, configure, TraceStore } = await import('llmtrace');
  configure({ store: new TraceStore(), logger: { format: 'hidden' } });
  wrap = (fn) => traced(fn, { name: 'child_call' });
}

class CustomPromise extends Promise {}

const later = (reject) => setTimeout(() => reject(new Error('boom')), 1);

const scenarios = {
  // A Promise subclass that rejects and that nobody handles: the process must crash.
  'subclass-unhandled': () => {
    wrap(() => new CustomPromise((_, reject) => later(reject)))();
  },
  // The caller handles it at once: no crash.
  'subclass-handled': () => {
    wrap(() => new CustomPromise((_, reject) => later(reject)))().catch((error) => console.log(`handled ${error.message}`));
  },
  // Handled only long after it rejected: Node has already judged it unhandled.
  'subclass-handled-late': () => {
    const p = wrap(() => new CustomPromise((_, reject) => later(reject)))();
    setTimeout(() => p.catch(() => console.log('handled late')), 50);
  },
  // Already rejected when returned, handled in the same tick: no crash.
  'subclass-rejected-handled': () => {
    const p = wrap(() => CustomPromise.reject(new Error('early')))();
    p.then(undefined, (error) => console.log(`handled ${error.message}`));
  },
  // Awaited by the caller inside an async function that catches: no crash.
  'subclass-awaited': () => {
    (async () => {
      try {
        await wrap(() => new CustomPromise((_, reject) => later(reject)))();
      } catch (error) {
        console.log(`caught ${error.message}`);
      }
    })();
  },
  // A plain async function whose rejection nobody handles.
  'async-unhandled': () => {
    wrap(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('boom');
    })();
  },
  // An async function traced twice (stacked decorators do the same): the outer wrapper sees the inner one.
  'nested-async-unhandled': () => {
    wrap(wrap(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('boom');
    }))();
  },
  // An async function of another realm (vm, a worker's shared code): still an async function.
  'other-realm-async-unhandled': async () => {
    const { runInNewContext } = await import('node:vm');
    const fn = runInNewContext('(async () => { await new Promise((resolve) => setTimeout(resolve, 1)); throw new Error("boom"); })', { setTimeout });
    wrap(fn)();
  },
  // A prefetch: the program keeps the request's promise and handles it itself; the traced call that
  // returns it is fired and forgotten (its return value ignored).
  'plain-prefetched': () => {
    const prefetched = new Promise((_, reject) => later(reject));
    prefetched.catch((error) => console.log(`prefetch failed: ${error.message}`));
    wrap(() => prefetched)();
  },
  // The same with a memoised request returned by an async function that awaits it, the caller handling it.
  'async-memoised-handled': () => {
    const pending = new Promise((_, reject) => later(reject));
    pending.catch(() => console.log('memo cleared'));
    wrap(async () => pending)().catch((error) => console.log(`caller saw ${error.message}`));
  },
  // A non-Error reason.
  'subclass-string-reason': () => {
    wrap(() => new CustomPromise((_, reject) => setTimeout(() => reject('plain reason'), 1)))();
  },
  // A process-wide listener sees the same reason, and the process lives on.
  'listener-sees-reason': () => {
    process.on('unhandledRejection', (reason) => console.log(`listener ${reason.message}`));
    wrap(() => new CustomPromise((_, reject) => later(reject)))();
  },
};

scenarios[scenario]();
