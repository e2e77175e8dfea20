/**
 * Shared benchmark helpers: the scenario contract, the machine description, interleaved timed rounds
 * (warm-up, then every case once per round in rotating order, median and spread of the rounds), heap
 * measurement after a forced GC, and `runIfMain` so every scenario file also runs on its own.
 *
 * Figures are meant to be read as ratios against anchors measured in the same process and run (a
 * bare call, the OpenTelemetry SDK): absolute times on a shared 2-core machine drift, ratios much less.
 */
import { cpus, loadavg, release, totalmem, type as osType, arch, availableParallelism } from 'node:os';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** What a scenario reports: flat figures (numbers or short strings) and optional notes. */
export interface ScenarioResult {
  /** Scenario name, shown as the table heading. */
  name: string;
  /** Flat figures, keyed by what they measure (`traced.async.overhead_ns`, `heap.ratio`). */
  results: Record<string, number | string>;
  /** Free text: caveats, what a figure means. */
  notes?: string;
}

/** The contract of a scenario file: its default export. */
export type Scenario = () => Promise<ScenarioResult>;

/** The machine a run happened on. */
export interface MachineDescription {
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  totalMemoryGiB: number;
  node: string;
  v8: string;
  os: string;
  /** 1-minute load average at the time of the description (others' work on a shared machine). */
  loadAverage1m: number;
}

/** Describes this machine and runtime. */
export function describeMachine(): MachineDescription {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    availableParallelism: availableParallelism(),
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: `${osType()} ${release()} ${arch()}`,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** Forces a full GC; throws when the process was not started with `--expose-gc`. */
export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') {
    throw new Error('benchmarks need --expose-gc (run them with `node --expose-gc` or `npm run bench`)');
  }
  gc();
  gc();
}

/** Runs one young-generation GC (scavenge); throws without `--expose-gc`. */
export function minorGc(): void {
  const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
  if (typeof gc !== 'function') {
    throw new Error('benchmarks need --expose-gc (run them with `node --expose-gc` or `npm run bench`)');
  }
  gc({ type: 'minor' });
}

/** Heap in use after a forced full GC, in bytes. */
export function heapAfterGc(): number {
  forceGc();
  return process.memoryUsage().heapUsed;
}

/** Returns the value at quantile `q` (0..1) of `values` (linear interpolation). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** Runs `calls` calls of the measured function and resolves when they are done. */
export type TimedLoop = (calls: number) => void | Promise<void>;

/** One case of an interleaved measurement. */
export interface BenchCase {
  /** Case name, unique within the measurement. */
  name: string;
  /**
   * Runs the measured call `calls` times. Write the loop inside each case (not through a shared
   * helper) so every case has its own call site and V8 feedback, as real call sites do.
   */
  loop: TimedLoop;
  /**
   * Calls per round for this case, instead of `MeasureOptions.callsPerRound` (for a case that costs
   * orders of magnitude more per call, so that one round of it does not last seconds). Figures stay
   * per call.
   */
  calls?: number;
  /**
   * Run this case after all the others in every round (the last cases rotate among themselves), so
   * that what it leaves behind (megabytes of garbage, a GC marking cycle it started, background
   * threads) falls after the other cases of its round; the forced GC of the next round then clears
   * it. For peers that cost far more than the subjects they are compared with. @default false
   */
  lastInRound?: boolean;
}

/**
 * What a round's time is read from: `wall` is `performance.now()`; `cpu` is the process's user +
 * system CPU time (`process.cpuUsage()`, all threads: the JavaScript thread, GC helpers, a library's
 * worker threads). On a shared machine `cpu` leaves out the time another process held the core,
 * and it leaves out idle waits (a timer a flush sleeps on); it counts work done on other threads.
 */
export type RoundClock = 'wall' | 'cpu';

/** Options of `measureInterleaved`. */
export interface MeasureOptions {
  /** Timed rounds; every case runs once per round. @default 30 */
  rounds?: number;
  /** Calls per case per round. @default 10000 */
  callsPerRound?: number;
  /** Untimed rounds first, so every case reaches optimised code. @default 5 */
  warmupRounds?: number;
  /** Force a full GC between rounds (outside the timed region). @default true */
  gcBetweenRounds?: boolean;
  /**
   * Run a young-generation GC (scavenge) before every case, outside its timed region, so each case
   * starts with an empty young generation: how many scavenges fall inside a case then depends on
   * what the case allocates, not on what the cases before it left. Needs `--expose-gc`. @default false
   */
  minorGcBetweenCases?: boolean;
  /** What a round's time is read from (see `RoundClock`). @default 'wall' */
  clock?: RoundClock;
}

/** Per-case figures of an interleaved measurement, in nanoseconds per call. */
export interface CaseStats {
  /** Median over rounds. */
  median: number;
  /** 25th percentile over rounds. */
  p25: number;
  /** 75th percentile over rounds. */
  p75: number;
  /** Every round's figure, in round order. */
  rounds: number[];
}

/**
 * Measures `cases` in interleaved rounds: after warm-up, each round runs every case once (the order
 * rotates each round so no case always runs first or after the same neighbour; `lastInRound` cases
 * rotate among themselves after the others), timing each with `options.clock`. Yields to the event
 * loop between cases so background work (a batch processor's export, timers) runs outside the next
 * case's timed region as it would in a program.
 */
export async function measureInterleaved(
  cases: readonly BenchCase[],
  options: MeasureOptions = {},
): Promise<Map<string, CaseStats>> {
  const rounds = options.rounds ?? 30;
  const calls = options.callsPerRound ?? 10_000;
  const warmup = options.warmupRounds ?? 5;
  const gcBetween = options.gcBetweenRounds ?? true;
  const now = (options.clock ?? 'wall') === 'cpu' ? cpuMs : () => performance.now();
  const perCase = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const first = cases.filter((c) => !c.lastInRound);
  const last = cases.filter((c) => c.lastInRound);
  const rotated = (list: readonly BenchCase[], round: number): BenchCase[] =>
    list.map((_, k) => list[(round + k) % list.length]!);
  for (let round = 0; round < warmup + rounds; round++) {
    if (gcBetween) forceGc();
    for (const c of [...rotated(first, round), ...rotated(last, round)]) {
      await yieldToLoop();
      if (options.minorGcBetweenCases) minorGc();
      const n = c.calls ?? calls;
      const start = now();
      await c.loop(n);
      const elapsedMs = now() - start;
      if (round >= warmup) perCase.get(c.name)!.push((elapsedMs * 1e6) / n);
    }
  }
  const stats = new Map<string, CaseStats>();
  for (const [name, values] of perCase) {
    stats.set(name, { median: quantile(values, 0.5), p25: quantile(values, 0.25), p75: quantile(values, 0.75), rounds: values });
  }
  return stats;
}

/** The process's user + system CPU time, in milliseconds (microsecond resolution). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The per-round difference `caseName - anchorName` (ns/call), as median and quartiles. Differences
 * are taken within a round, so drifts that hit both (another process's load) largely cancel.
 */
export function overheadOver(stats: Map<string, CaseStats>, caseName: string, anchorName: string): CaseStats {
  const measured = stats.get(caseName)?.rounds ?? [];
  const anchor = stats.get(anchorName)?.rounds ?? [];
  const diffs = measured.map((value, i) => value - anchor[i]!);
  return { median: quantile(diffs, 0.5), p25: quantile(diffs, 0.25), p75: quantile(diffs, 0.75), rounds: diffs };
}

/**
 * The median over rounds of the per-round ratio `(caseName - anchorName) / (otherName - anchorName)`:
 * one case's overhead over another's, each round read on its own. A burst of load that hits one
 * round moves that round's ratio only, where a ratio of medians can pair a quiet round's numerator
 * with a loaded round's denominator.
 */
export function ratioOver(stats: Map<string, CaseStats>, caseName: string, otherName: string, anchorName: string): number {
  const a = overheadOver(stats, caseName, anchorName).rounds;
  const b = overheadOver(stats, otherName, anchorName).rounds;
  return quantile(
    a.map((value, i) => value / b[i]!),
    0.5,
  );
}

/** Rounds to `digits` significant decimals for reporting. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Prints a scenario result as an aligned two-column table. */
export function printResult(result: ScenarioResult, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  out(`\n${result.name}`);
  const width = Math.max(0, ...Object.keys(result.results).map((k) => k.length));
  for (const [key, value] of Object.entries(result.results)) out(`  ${key.padEnd(width)}  ${String(value)}`);
  if (result.notes) out(`  note: ${result.notes}`);
}

/**
 * Runs `scenario` and prints its result when `moduleUrl` is the process's entry point, so each
 * scenario file is runnable alone: `node --expose-gc dist/benchmarks/<file>.js`. Does nothing when
 * the file is imported (by the runner's child process).
 */
export function runIfMain(moduleUrl: string, scenario: Scenario): void {
  const entry = process.argv[1];
  if (!entry) return;
  let isMain: boolean;
  try {
    isMain = realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    isMain = false;
  }
  if (!isMain) return;
  scenario().then(
    (result) => {
      printResult(result);
      process.stdout.write(`\nmachine: ${JSON.stringify(describeMachine())}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
