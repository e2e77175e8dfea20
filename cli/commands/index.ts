/** The `llmtrace` subcommands, in the order `llmtrace --help` lists them. */
import type { Command } from '../command.js';
import { runsCommand } from './runs.js';

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [runsCommand];
