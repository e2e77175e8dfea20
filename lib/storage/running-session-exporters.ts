/**
 * The session-file exporters running (created, not yet shut down), for `setSessionMetadata`. Kept
 * apart from the exporter so that the root entry, which exports `setSessionMetadata`, does not
 * load the session-file code at `import 'llmtrace'` (benchmarks/import-time.ts).
 */
import type { SessionFileExporter } from './session-file-exporter.js';

const running = new Set<SessionFileExporter>();

/** @internal Records `exporter` as running (its constructor calls this). */
export function addRunningSessionExporter(exporter: SessionFileExporter): void {
  running.add(exporter);
}

/** @internal Records `exporter` as shut down. */
export function removeRunningSessionExporter(exporter: SessionFileExporter): void {
  running.delete(exporter);
}

/** @internal The session exporters not yet shut down, oldest first. */
export function runningSessionExporters(): readonly SessionFileExporter[] {
  return [...running];
}
