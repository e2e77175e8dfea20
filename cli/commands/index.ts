/** The `llmtrace` subcommands, in the order `llmtrace --help` lists them. */
import type { Command } from '../command.js';
import { compareCommand } from './compare.js';
import { dashboardCommand } from './dashboard.js';
import { exportCommand } from './export.js';
import { tailCommand } from './tail.js';
import { reportCommand } from './report.js';
import { leaderboardCommand } from './leaderboard.js';
import { exportTrainingCommand } from './export-training.js';
import { errorsCommand } from './errors.js';
import { runInfoCommand } from './run-info.js';
import { runsCommand } from './runs.js';
import { slowCommand } from './slow.js';
import { statsCommand } from './stats.js';

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [
  runsCommand, runInfoCommand, slowCommand, errorsCommand, statsCommand, compareCommand, exportCommand, reportCommand, tailCommand,
  leaderboardCommand, exportTrainingCommand, dashboardCommand,
];
