/**
 * What happens to text before an evaluation stores it: secrets masked with the configured redactor
 * (`configure({ redaction })`, the default patterns always on), then cut to a byte cap (UTF-8 safe).
 * A record whose text was cut says so (`truncated: true`), and the training export leaves it out.
 */
import { capUtf8 } from '../cap-utf8.js';
import { redactText, type Redactor } from '../redact.js';

/** Cap on each stored text of an evaluation (prompt message, response, analysis, comment), in bytes. */
export const MAX_EVALUATION_TEXT_BYTES = 32 * 1024;

/** @internal Redacts and caps texts, remembering whether any was cut. */
export class TextStorer {
  readonly #redactor: Redactor;
  truncated = false;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  /** `text` with secrets masked (`path` names it for a user mask), cut to MAX_EVALUATION_TEXT_BYTES. */
  store(text: string, path: string): string {
    const capped = capUtf8(redactText(text, this.#redactor, path), MAX_EVALUATION_TEXT_BYTES);
    if (capped.truncated) this.truncated = true;
    return capped.text;
  }
}
