/**
 * Live: spans as they happen, from /api/live (server-sent events): calls still running (in-process
 * mode announces span starts) and the latest finished spans, newest first, without reloading.
 */
import { useEffect, useState } from 'preact/hooks';
import { ms, time } from '../format.js';
import { navigate } from '../router.js';
import type { SpanData } from '../../../lib/span.js';
import { UserText } from '../user-text.js';

/** Finished spans kept on the page. */
export const LIVE_ROWS = 200;

/** The live page. */
export function Live() {
  const [running, setRunning] = useState<Map<string, SpanData>>(new Map());
  const [finished, setFinished] = useState<SpanData[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const events = new EventSource('api/live');
    events.onopen = () => setConnected(true);
    events.onerror = () => setConnected(false);
    events.onmessage = (message) => {
      const { type, span } = JSON.parse(message.data as string) as { type: 'start' | 'end'; span: SpanData };
      if (type === 'start') {
        setRunning((m) => new Map(m).set(span.id, span));
        return;
      }
      setRunning((m) => {
        if (!m.has(span.id)) return m;
        const next = new Map(m);
        next.delete(span.id);
        return next;
      });
      setFinished((list) => [span, ...list].slice(0, LIVE_ROWS));
    };
    return () => events.close();
  }, []);
  return (
    <section aria-labelledby="live-title">
      <div class="toolbar">
        <h2 id="live-title">Live</h2>
        <span class={connected ? 'good' : 'muted'} data-connected={String(connected)}>{connected ? '● connected' : '○ connecting…'}</span>
      </div>
      <h3>Running ({running.size})</h3>
      <ul class="live running" aria-live="polite">
        {[...running.values()].map((s) => (
          <li key={s.id} data-span-id={s.id}>
            <strong><UserText text={s.name} /></strong> <span class="muted">{s.kind} · started {time(s.startTime)}</span>
          </li>
        ))}
      </ul>
      <h3>Finished</h3>
      <table class="grid">
        <caption>Newest first (the last {LIVE_ROWS})</caption>
        <thead>
          <tr>
            <th scope="col">Ended</th>
            <th scope="col">Name</th>
            <th scope="col">Model</th>
            <th scope="col" class="num">Duration</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody class="live finished">
          {finished.map((s) => (
            <tr key={s.id} tabIndex={0} class="open" data-span-id={s.id} onClick={() => navigate(`trace/${s.traceId}`)} onKeyDown={(e) => e.key === 'Enter' && navigate(`trace/${s.traceId}`)}>
              <td>{time(s.endTime)}</td>
              <td><UserText text={s.name} /></td>
              <td><UserText text={String(s.attributes['gen_ai.response.model'] ?? s.attributes['gen_ai.request.model'] ?? '-')} /></td>
              <td class="num">{ms(s.duration)}</td>
              <td class={s.status === 'error' ? 'bad' : undefined}>{s.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
