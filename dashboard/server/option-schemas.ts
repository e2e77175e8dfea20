/**
 * The option schema of the `llmtrace/dashboard` entry point `startDashboard`, built with the shared
 * machinery of `lib/internal/option-schemas.ts`. It lives here, not there, so the core does not
 * reach the dashboard's modules; this file imports the dashboard's types only, so no cycle forms.
 */
import { checkAgainst, is, nonEmptyString, schema, schemaKeys, store } from '../../lib/internal/option-schemas.js';
import type { DashboardOptions } from './start-dashboard.js';

const DASHBOARD_SCHEMAS = {
  startDashboard: schema<DashboardOptions>({
    store,
    dir: is('a non-empty string or false', (v) => v === false || (typeof v === 'string' && v !== '')),
    port: is('an integer from 0 to 65535', (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65_535),
    host: nonEmptyString,
    print: is('a function', (v) => typeof v === 'function'),
  }),
};

/** The name of an `llmtrace/dashboard` entry point whose options `checkDashboardEntryOptions` knows. */
export type DashboardEntryPoint = keyof typeof DASHBOARD_SCHEMAS;

/** @internal Every `llmtrace/dashboard` entry point with a schema, and its option keys (for the table-driven test). */
export function dashboardEntryPointKeys(): Record<DashboardEntryPoint, readonly string[]> {
  return schemaKeys(DASHBOARD_SCHEMAS);
}

/** @internal `checkOptions` for the `llmtrace/dashboard` entry points: the first line of each. */
export function checkDashboardEntryOptions(entry: DashboardEntryPoint, options: unknown): void {
  checkAgainst(DASHBOARD_SCHEMAS[entry], entry, options);
}
