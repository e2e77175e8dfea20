/**
 * `llmtrace export-training <file> --format sft|dpo|raw [--min-score x]`: training data from the
 * stored decisions: OpenAI chat fine-tuning JSONL (`sft`, the chosen answers), preference pairs
 * (`dpo`, chosen vs each rejected candidate) or a raw form (prompt, chosen, rejected, analysis,
 * scores). Answers a candidate's span captured (`capture: 'full'`) fill in missing texts. When the
 * content was not captured it says so and how to turn it on, instead of writing empty samples.
 * Thin over lib/query trainingRecords.
 */
import { NO_CONTENT_HINT, trainingRecords, TRAINING_FORMATS, type TrainingFormat, type TrainingSkips } from '../../lib/evaluations/training-export.js';
import type { EvaluationRecord } from '../../lib/evaluations/types.js';
import { readSpans } from '../../lib/query/source.js';
import type { SpanData } from '../../lib/span.js';
import { booleanFlag, numberFlag, stringFlag } from '../args.js';
import type { Command } from '../command.js';
import { evaluationFilterFromArgs, EVALUATION_FLAGS } from '../evaluation-flags.js';
import { createOutputFile } from '../output-file.js';
import { printJson } from '../output.js';
import { reportProblems } from '../problems.js';
import { openStoreFromArgs, storeDirFromArgs, TIME_FLAGS } from '../query-flags.js';
import { UsageError } from '../usage-error.js';

/** Exit code when nothing could be exported because content was not captured. */
export const NO_CONTENT_EXIT_CODE = 2;

/** What each skip count means, as the summary line on stderr says it. */
const SKIP_REASONS: Readonly<Record<keyof TrainingSkips, string>> = {
  noChoice: 'with no chosen candidate',
  noContent: 'without the prompt or answer text',
  truncated: 'whose text capture cut (maxContentBytes)',
  unscored: 'whose chosen answer has no score',
  belowMinScore: 'whose chosen answer scored below --min-score',
  noRejected: 'with no rejected answer to pair',
};

/** `llmtrace export-training`. */
export const exportTrainingCommand: Command = {
  name: 'export-training',
  summary: 'write fine-tuning data (sft, dpo or raw JSONL) from the stored evaluations',
  usage: 'export-training <file.jsonl> [--format sft|dpo|raw] [--min-score <x>] [--evaluator <name>] [--force]',
  examples: ['llmtrace export-training train.jsonl --format sft --min-score 0.8', 'llmtrace export-training pairs.jsonl --format dpo --evaluator arbiter'],
  arguments: ['<file.jsonl>'],
  flags: {
    ...TIME_FLAGS,
    ...EVALUATION_FLAGS,
    format: { type: 'string', value: 'sft|dpo|raw', description: 'sft (chat fine-tuning, default), dpo (preference pairs) or raw' },
    'min-score': { type: 'string', value: '<x>', description: "only decisions whose chosen answer scored at least x" },
    force: { type: 'boolean', description: 'overwrite the file if it exists' },
  },
  async run(args, io) {
    const [file] = args.positionals;
    if (file === undefined) throw new UsageError('llmtrace export-training: give one output file: llmtrace export-training <file.jsonl>');
    const format = (stringFlag(args, 'format') ?? 'sft') as TrainingFormat;
    if (!TRAINING_FORMATS.includes(format)) throw new UsageError(`llmtrace export-training: --format must be sft, dpo or raw, got ${JSON.stringify(format)}`);
    const minScore = numberFlag(args, 'min-score', 'export-training');
    const filter = { ...evaluationFilterFromArgs(args, io, 'export-training'), type: 'decision' as const };
    const source = await openStoreFromArgs(args, io);
    const evaluations: EvaluationRecord[] = [];
    for await (const record of source.evaluations(filter)) evaluations.push(record);
    if (minScore !== undefined) for await (const record of source.evaluations({ from: filter.from, to: filter.to, type: 'score' })) evaluations.push(record);
    // Only the spans the decisions name are kept, for the content they captured.
    const wanted = new Set<string>();
    for (const e of evaluations) {
      if (e.type !== 'decision') continue;
      if (e.spanId) wanted.add(e.spanId);
      for (const c of e.candidates) if (c.spanId) wanted.add(c.spanId);
    }
    const spanContents = new Map<string, Pick<SpanData, 'attributes' | 'events'>>();
    if (wanted.size) for await (const span of readSpans([source], {}, (s) => wanted.has(s.id))) spanContents.set(span.id, { attributes: span.attributes, events: span.events });
    const out = trainingRecords(evaluations, { format, ...(minScore === undefined ? {} : { minScore }), spanById: (id) => spanContents.get(id) });
    const summary = { format, decisions: out.decisions, used: out.used, records: out.records.length, skipped: out.skipped };
    if (out.decisions === 0) throw new UsageError('llmtrace export-training: no decisions in this store or range: record them with recordEvaluation() (see docs/evaluations.md)');
    if (out.records.length === 0 && out.skipped.noContent > 0) {
      io.err(`llmtrace export-training: nothing to write, ${out.skipped.noContent} of ${out.decisions} decisions have no text: ${NO_CONTENT_HINT}\n`);
      return NO_CONTENT_EXIT_CODE;
    }
    const skips = (Object.entries(out.skipped) as [keyof typeof SKIP_REASONS, number][]).filter(([, n]) => n > 0).map(([why, n]) => `${n} ${n === 1 ? 'decision' : 'decisions'} ${SKIP_REASONS[why]}`);
    if (out.records.length === 0) {
      io.err(`llmtrace export-training: nothing to write, skipped ${skips.join(', ')}\n`);
      return NO_CONTENT_EXIT_CODE;
    }
    const target = await createOutputFile(file, { force: booleanFlag(args, 'force'), storeDir: storeDirFromArgs(args, io), command: 'export-training', io });
    try {
      for (const record of out.records) await target.write(`${JSON.stringify(record)}\n`);
    } finally {
      await target.close();
    }
    if (booleanFlag(args, 'json')) printJson(io, { file: target.path, ...summary });
    else io.out(`wrote ${out.records.length} ${format} records from ${out.used} of ${out.decisions} decisions to ${file}\n`);
    if (skips.length) io.err(`llmtrace export-training: skipped ${skips.join(', ')}${out.skipped.noContent ? ` (${NO_CONTENT_HINT})` : ''}\n`);
    reportProblems([source], io);
  },
};
