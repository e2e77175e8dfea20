/**
 * `llmtrace/dashboard`: the local dashboard. `startDashboard` serves the page and its read-only
 * JSON API over a store directory and/or the running program's TraceStore; `generateDashboardData`
 * is the pure function behind the overview, for views of your own. See docs/dashboard.md.
 */
export { startDashboard, DEFAULT_DASHBOARD_DIR, DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './start-dashboard.js';
export type { DashboardHandle, DashboardOptions } from './start-dashboard.js';
export { CONTENT_SECURITY_POLICY } from './security.js';
export { generateDashboardData, LATENCY_BUCKET_BOUNDS_MS, DEFAULT_TIME_BUCKETS } from '../../lib/query/dashboard-data.js';
export type { DashboardDataInput } from '../../lib/query/dashboard-data.js';
export type { DashboardData, DashboardSummary, LatencyBucket, TimeBucket } from '../../lib/query/wire-types.js';
