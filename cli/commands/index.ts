/**
 * The `llmtrace` subcommands, in the order `llmtrace --help` lists them, each loaded only when it
 * runs: a command's module and what it imports (the query layer, tables, CSV, charts, the
 * dashboard server) cost start-up time on every call of every other command
 * (benchmarks/query-scan.ts, where `runs`, `slow` and `stats` include their start-up).
 */
import type { Command } from '../command.js';

/** A subcommand as the dispatcher knows it before loading it. */
export interface CommandEntry {
  /** The word after `llmtrace`. */
  readonly name: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

/** Every subcommand. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'runs', load: async () => (await import('./runs.js')).runsCommand },
  { name: 'run-info', load: async () => (await import('./run-info.js')).runInfoCommand },
  { name: 'slow', load: async () => (await import('./slow.js')).slowCommand },
  { name: 'errors', load: async () => (await import('./errors.js')).errorsCommand },
  { name: 'stats', load: async () => (await import('./stats.js')).statsCommand },
  { name: 'compare', load: async () => (await import('./compare.js')).compareCommand },
  { name: 'export', load: async () => (await import('./export.js')).exportCommand },
  { name: 'report', load: async () => (await import('./report.js')).reportCommand },
  { name: 'tail', load: async () => (await import('./tail.js')).tailCommand },
  { name: 'leaderboard', load: async () => (await import('./leaderboard.js')).leaderboardCommand },
  { name: 'export-training', load: async () => (await import('./export-training.js')).exportTrainingCommand },
  { name: 'dashboard', load: async () => (await import('./dashboard.js')).dashboardCommand },
];
