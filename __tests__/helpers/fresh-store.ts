/** Test helper: a fresh TraceStore installed as the default for one test file. */
import { configure, TraceStore } from '../../index.js';

/** Installs and returns a new default store (hidden logger so tests print nothing). */
export function freshStore(maxSpans = 10_000): TraceStore {
  const store = new TraceStore({ maxSpans });
  configure({ store, logger: { format: 'hidden' }, enabled: true, capture: 'metadata' });
  return store;
}
