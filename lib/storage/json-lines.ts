/**
 * The line loop of llmtrace's JSONL readers (session files, exported spans): each non-blank line
 * parsed and checked, a line that is not valid JSON or not the expected record collected as an error
 * naming the file and line instead of failing the read. Pure.
 */
/** A line that could not be read. */
export interface JsonLineError {
  file: string;
  /** 1-based line number. */
  line: number;
  /** One line: `llmtrace: <file>:<line>: <what is wrong>`. */
  message: string;
}

/** The records of a JSONL text, and the lines that were not one. */
export interface JsonLines<T> {
  records: T[];
  errors: JsonLineError[];
}

/**
 * Parses each non-blank line of `text` and keeps it when `check` finds nothing wrong with it (`check`
 * returns what is wrong, or undefined); `file` names the text in errors.
 */
export function parseJsonLines<T>(text: string, file: string, check: (value: unknown) => string | undefined): JsonLines<T> {
  const records: T[] = [];
  const errors: JsonLineError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let problem: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
      problem = check(value);
    } catch (error) {
      problem = `malformed JSON (${(error as Error).message})`;
    }
    if (problem) errors.push({ file, line: i + 1, message: `llmtrace: ${file}:${i + 1}: ${problem}` });
    else records.push(value as T);
  }
  return { records, errors };
}
