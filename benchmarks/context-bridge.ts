/**
 * Benchmark: the per-call cost of the OpenTelemetry context-bridge slot in `invoke`.
 * Scenario: a sync traced function called many times (so the recorder dominates), first with no
 * bridge installed (the default path: one extra undefined check), then with `bridgeOpenTelemetry()`
 * installed but no OpenTelemetry span active. Prints nanoseconds per call, median of several rounds.
 * Run: `npm run build && node dist/benchmarks/context-bridge.js`
 */
import { configure, traced, TraceStore } from '../index.js';
import { bridgeOpenTelemetry } from '../adapters/otel/index.js';

const CALLS = 200_000;
const ROUNDS = 7;

function nsPerCall(fn: () => unknown): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) fn();
    times.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)]!;
}

configure({ store: new TraceStore({ maxSpans: 1_000 }), logger: { format: 'hidden' }, capture: 'off' });
const add = traced((a: number, b: number) => a + b, { name: 'add', kind: 'tool' });
const bare = (a: number, b: number): number => a + b;

nsPerCall(() => add(1, 2)); // warm-up
const untraced = nsPerCall(() => bare(1, 2));
const noBridge = nsPerCall(() => add(1, 2));
const uninstall = bridgeOpenTelemetry();
const withBridge = nsPerCall(() => add(1, 2));
uninstall();
const noBridgeAgain = nsPerCall(() => add(1, 2));

const row = (label: string, ns: number): string => `${label.padEnd(34)}${ns.toFixed(0).padStart(8)} ns/call`;
console.log(row('untraced function', untraced));
console.log(row('traced, no bridge (default)', noBridge));
console.log(row('traced, bridge installed', withBridge));
console.log(row('traced, bridge removed again', noBridgeAgain));
