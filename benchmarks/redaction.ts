/**
 * Redaction cost (issue 8, point 7). The final pass (`redactSpan`) runs on every finished span, so
 * its cost on a span that holds nothing to redact is hot-path cost: measured on a typical model-call
 * span with capture off (function, operation, models, a unique response id, token counts, cost),
 * against an anchor that only walks the same attributes. Also measured: one unique short string
 * (the quick secret test), and masking 8 KB of captured text (prose, and code full of `=`, `:` and
 * URLs), which capture `full` pays once per request and once per response.
 * Run alone: `npm run build && node --expose-gc dist/benchmarks/redaction.js`
 */
import { Span } from '../index.js';
import { DEFAULT_REDACTOR, maskSecrets } from '../lib/redact.js';
import { redactSpan } from '../lib/redact/redact-span.js';
import { measureInterleaved, overheadOver, round, runIfMain, type ScenarioResult } from './harness.js';

const PROSE = JSON.stringify([
  { role: 'user', content: 'Summarise the following article about distributed tracing in LLM applications. '.repeat(100) },
]).slice(0, 8192);
const CODE = JSON.stringify([
  {
    role: 'user',
    content:
      'const token = await getToken(); // api key from env\nfetch(`https://api.example.com/v1/items?id=${id}&page=2`, { headers: { authorization: `Bearer ${token}` } });\n'.repeat(
        40,
      ),
  },
]).slice(0, 8192);

let serial = 0;

function typicalSpan(): Span {
  serial++;
  return new Span(
    'answer_question',
    'llm',
    undefined,
    {
      'llmtrace.function': 'answer_question',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': `chatcmpl-${serial.toString(36)}AbCdEf`,
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 40,
      'llmtrace.cost_usd': 0.0000432,
      'gen_ai.response.finish_reasons': ['stop'],
    },
    '0af7651916cd43dd8448eb211c80319c',
    'b7ad6b7169203331',
    true,
  );
}

/** Walks the attributes as the pass does, without deciding anything: the anchor. */
function walkOnly(span: Span): number {
  let n = 0;
  for (const key in span.attributes) if (span.attributes[key] !== undefined) n++;
  return n;
}

/** Measures the final pass against its anchor, and text masking. */
export default async function redaction(): Promise<ScenarioResult> {
  let sink = 0;
  const spanStats = await measureInterleaved(
    [
      {
        name: 'walk',
        loop: (calls) => {
          for (let i = 0; i < calls; i++) sink += walkOnly(typicalSpan());
        },
      },
      {
        name: 'redactSpan',
        loop: (calls) => {
          for (let i = 0; i < calls; i++) {
            const span = typicalSpan();
            redactSpan(span, DEFAULT_REDACTOR);
            sink += span.events.length;
          }
        },
      },
      {
        name: 'unique short string',
        loop: (calls) => {
          for (let i = 0; i < calls; i++) sink += maskSecrets(`chatcmpl-${(serial++).toString(36)}AbCdEf`, DEFAULT_REDACTOR).length;
        },
      },
    ],
    { rounds: 20, callsPerRound: 20_000 },
  );
  const textStats = await measureInterleaved(
    [
      {
        name: 'prose',
        loop: (calls) => {
          for (let i = 0; i < calls; i++) sink += maskSecrets(PROSE, DEFAULT_REDACTOR).length;
        },
      },
      {
        name: 'code',
        loop: (calls) => {
          for (let i = 0; i < calls; i++) sink += maskSecrets(CODE, DEFAULT_REDACTOR).length;
        },
      },
    ],
    { rounds: 10, callsPerRound: 100, warmupRounds: 2 },
  );
  const pass = overheadOver(spanStats, 'redactSpan', 'walk');
  return {
    name: 'redaction: the final span pass and text masking',
    results: {
      'final_pass.typical_span_ns': round(pass.median),
      'final_pass.typical_span_p75_ns': round(pass.p75),
      'unique_short_string_ns': round(spanStats.get('unique short string')!.median),
      'mask_8kb_prose_us': round(textStats.get('prose')!.median / 1000),
      'mask_8kb_code_us': round(textStats.get('code')!.median / 1000),
      checksum: sink > 0 ? 'ok' : 'none',
    },
    notes:
      'final_pass.* is redactSpan minus walking the same attributes, on a span with nothing to redact (one unique id a span); ' +
      'mask_8kb_* is paid once per captured request and response with capture full.',
  };
}

runIfMain(import.meta.url, redaction);
