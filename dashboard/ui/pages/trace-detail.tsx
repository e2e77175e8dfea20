/**
 * Trace detail: the waterfall of the trace's spans on a time axis (depth first, children by start,
 * as /api/traces/<id> orders them), and for the chosen span its attributes, events, error, tokens,
 * cost and captured content. Everything from the traced program is rendered as text.
 */
import { useState } from 'preact/hooks';
import { count, ms, text, time, usd } from '../format.js';
import type { Route } from '../router.js';
import type { EvaluationRecord } from '../../../lib/evaluations/types.js';
import type { SpanData } from '../../../lib/span.js';
import { useApi } from '../use-api.js';
import { UserText } from '../user-text.js';

interface TraceAnswer {
  traceId: string;
  start: number;
  end: number;
  spans: { depth: number; span: SpanData; content?: { prompt?: { role: string; content: string }[]; response?: string } }[];
  evaluations: EvaluationRecord[];
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];

function SpanDetail(props: { node: TraceAnswer['spans'][number] }) {
  const { span, content } = props.node;
  const a = span.attributes;
  return (
    <div class="span-detail" aria-live="polite">
      <h3><UserText text={span.name} /></h3>
      <dl class="facts">
        <dt>Kind</dt><dd>{span.kind}</dd>
        <dt>Status</dt><dd class={span.status === 'error' ? 'bad' : undefined}>{span.status}</dd>
        <dt>Duration</dt><dd>{ms(span.duration)}</dd>
        <dt>Started</dt><dd>{time(span.startTime)}</dd>
        <dt>Tokens</dt><dd>{count(Number(a['gen_ai.usage.input_tokens'] ?? 0))} in / {count(Number(a['gen_ai.usage.output_tokens'] ?? 0))} out</dd>
        <dt>Cost</dt><dd>{typeof a['llmtrace.cost_usd'] === 'number' ? usd(a['llmtrace.cost_usd']) : a['llmtrace.cost_usd'] === null ? 'unpriced' : '-'}</dd>
        <dt>Span id</dt><dd><code>{span.id}</code></dd>
      </dl>
      {span.error && (
        <div class="error-box" role="note">
          <strong>{span.error.type}</strong>: <span class="error-message">{span.error.message}</span>
        </div>
      )}
      {content && (content.prompt || content.response) && (
        <>
          <h4>Captured content</h4>
          {content.prompt?.map((m, i) => (
            <div key={i} class="message">
              <span class="role">{m.role}</span>
              <pre class="content">{m.content}</pre>
            </div>
          ))}
          {content.response !== undefined && (
            <div class="message">
              <span class="role">answer</span>
              <pre class="content">{content.response}</pre>
            </div>
          )}
        </>
      )}
      <h4>Attributes</h4>
      <table class="kv">
        <tbody>
          {Object.entries(a).map(([key, value]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td><pre>{text(value)}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Events</h4>
      {span.events.length === 0 ? <p class="muted">none</p> : (
        <ol class="events">
          {span.events.map((e, i) => (
            <li key={i}>
              <strong>{e.name}</strong> <span class="muted">+{ms(e.time - span.startTime)}</span>
              <table class="kv">
                <tbody>
                  {Object.entries(e.attributes).map(([key, value]) => (
                    <tr key={key}>
                      <th scope="row">{key}</th>
                      <td><pre>{text(value)}</pre></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The trace detail page. */
export function TraceDetail(props: { route: Route }) {
  const id = props.route.arg ?? '';
  const { data, error } = useApi<TraceAnswer>(`traces/${encodeURIComponent(id)}`);
  const [chosen, setChosen] = useState(0);
  if (error) return <p role="alert" class="error">{error}</p>;
  if (!data) return <p class="muted">loading…</p>;
  const total = Math.max(1, data.end - data.start);
  const node = data.spans[Math.min(chosen, data.spans.length - 1)]!;
  return (
    <section aria-labelledby="trace-title">
      <div class="toolbar">
        <h2 id="trace-title">Trace <code>{data.traceId}</code></h2>
        <span class="muted">{time(data.start)} · {ms(data.end - data.start)} · {data.spans.length} spans</span>
      </div>
      <div class="waterfall" role="list" aria-label="Spans on a time axis">
        <div class="wf-axis" aria-hidden="true">
          {TICKS.map((t) => (
            <span key={t} class="wf-tick" style={{ left: `${t * 100}%` }}>{ms(t * total)}</span>
          ))}
        </div>
        {data.spans.map((n, i) => (
          <div
            key={n.span.id}
            role="listitem"
            tabIndex={0}
            class={`wf-row${i === chosen ? ' chosen' : ''}${n.span.status === 'error' ? ' failed' : ''}`}
            data-span-id={n.span.id}
            aria-current={i === chosen ? 'true' : undefined}
            onClick={() => setChosen(i)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                setChosen(i);
              } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const next = (e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling) as HTMLElement | null;
                if (next?.classList.contains('wf-row')) next.focus();
              }
            }}
          >
            <span class="wf-name" style={{ paddingLeft: `${n.depth * 1.1}em` }}>
              <UserText text={n.span.name} /> <span class="muted">{n.span.kind}</span>
            </span>
            <span class="wf-track">
              <span
                class={`wf-bar kind-${n.span.kind}`}
                style={{ left: `${((n.span.startTime - data.start) / total) * 100}%`, width: `${Math.max(0.3, (n.span.duration / total) * 100)}%` }}
              />
            </span>
            <span class="wf-ms">{ms(n.span.duration)}</span>
          </div>
        ))}
      </div>
      <SpanDetail node={node} />
      {data.evaluations.length > 0 && (
        <>
          <h3>Evaluations</h3>
          <ul class="evaluations">
            {data.evaluations.map((e, i) => (
              <li key={i}>
                {e.type === 'decision'
                  ? `${e.evaluator ?? ''} chose ${e.chosen === null || e.chosen === undefined ? 'none' : (e.candidates?.[e.chosen]?.model ?? '?')} of ${e.candidates?.map((c) => c.model).join(', ') ?? ''}`
                  : `${e.name ?? 'score'} of ${e.model ?? '?'}: ${text(e.value)}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
