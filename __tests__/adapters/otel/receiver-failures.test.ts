/**
 * A receiver that is down, slow or failing never affects the traced program: traced calls return
 * the same values, without waiting on the export, and the failed batches are counted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { exportToOtlp, type OtlpProtocol } from '../../../adapters/otel/index.js';
import { diagnosticCounts, traced } from '../../../index.js';
import { resetDiagnostics } from '../../../lib/internal/diagnostics.js';
import { freshStore } from '../../helpers/fresh-store.js';
import { startHttpReceiver, type HttpReceiver } from '../../helpers/http-receiver.js';

/**
 * Runs traced calls while an export to the receiver is in flight, and checks they behave as if no
 * export existed. The time bound is generous (a loaded 2-core CI machine) yet far below the
 * receiver's 3 s stall, which is what a call blocked on the export would take.
 */
async function tracedCallsWhileExporting(url: string, protocol: OtlpProtocol): Promise<{ failed: number; exported: number }> {
  const store = freshStore();
  const otlp = await exportToOtlp({ url, protocol, store, timeoutMillis: 300, scheduledDelayMs: 10 });
  const double = traced((n: number) => n * 2, { name: 'double', kind: 'tool' });
  const later = traced(async (n: number) => {
    await sleep(5);
    return n + 1;
  }, { name: 'later' });
  try {
    expect(double(1)).toBe(2);
    await sleep(50); // the first batch is now being exported
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      expect(double(i)).toBe(i * 2);
      await expect(later(i)).resolves.toBe(i + 1);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    await otlp.flush();
    return otlp.stats();
  } finally {
    await otlp.shutdown();
  }
}

describe.each<OtlpProtocol>(['http/protobuf', 'http/json'])('a failing receiver (%s)', (protocol) => {
  let receiver: HttpReceiver;
  beforeEach(async () => {
    resetDiagnostics();
    receiver = await startHttpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('answering 500: calls are unaffected and every span is counted as failed', async () => {
    receiver.behaviour.status = 500;
    const stats = await tracedCallsWhileExporting(`${receiver.origin}/v1/traces`, protocol);
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(stats).toMatchObject({ exported: 0, failed: 41 });
    // Said as the receiver's answer (once, with the status), not as an internal error of llmtrace.
    expect(diagnosticCounts()['export.receiver-status:500']).toBeGreaterThan(0);
    expect(diagnosticCounts()['error:export.batch']).toBeUndefined();
  });

  it('answering after the exporter timeout: calls are unaffected and the spans are counted as failed', async () => {
    receiver.behaviour.delayMs = 3_000;
    const stats = await tracedCallsWhileExporting(`${receiver.origin}/v1/traces`, protocol);
    expect(stats).toMatchObject({ exported: 0, failed: 41 });
    expect(diagnosticCounts()['export.receiver-unreachable:timed out']).toBeGreaterThan(0); // the receiver's side, said so
    expect(diagnosticCounts()['error:export.batch']).toBeUndefined();
  });

  it('down (closed port): calls are unaffected and the spans are counted as failed', async () => {
    const url = `${receiver.origin}/v1/traces`;
    await receiver.close();
    const stats = await tracedCallsWhileExporting(url, protocol);
    expect(stats).toMatchObject({ exported: 0, failed: 41 });
    expect(Object.keys(diagnosticCounts()).filter((key) => key.startsWith('export.receiver-unreachable:'))).not.toEqual([]);
    expect(diagnosticCounts()['error:export.batch']).toBeUndefined();
  });
});

describe('a receiver that recovers', () => {
  it('exports later batches once it answers again', async () => {
    const receiver = await startHttpReceiver();
    const store = freshStore();
    const otlp = await exportToOtlp({ url: receiver.origin, store, timeoutMillis: 300 });
    const call = traced(() => 'ok', { name: 'call' });
    try {
      receiver.behaviour.status = 500;
      call();
      await otlp.flush();
      receiver.behaviour.status = 200;
      call();
      call();
      await otlp.flush();
      expect(otlp.stats()).toEqual({ queued: 0, exported: 2, dropped: 0, failed: 1 });
    } finally {
      await otlp.shutdown();
      await receiver.close();
    }
  });
});
