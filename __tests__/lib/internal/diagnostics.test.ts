/** llmtrace's own diagnostics: counted, logged once, and never carrying a secret into the log. */
import { configure, createLogger, diagnosticCounts } from '../../../index.js';
import { reportInternalError, resetDiagnostics } from '../../../lib/internal/diagnostics.js';

describe('internal diagnostics', () => {
  it('masks API keys and bearer tokens in the internal error messages it logs', () => {
    const logger = createLogger({ format: 'hidden' });
    configure({ logger });
    resetDiagnostics();
    reportInternalError('test.exporter', new Error('POST https://x.test/v1?api_key=abcdef123456 failed, Authorization: Bearer sk-abcdefghijklmnopqrstuv'));
    reportInternalError('test.exporter', new Error('second one is counted only'));
    const lines = logger.buffer.query({ minLevel: 'warn' });
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('abcdef123456');
    expect(text).not.toContain('sk-abcdefghijklmnopqrstuv');
    expect(text).toContain('[REDACTED]');
    expect(diagnosticCounts()['error:test.exporter']).toBe(2);
  });
});
