/**
 * Server-sent events as a body observer reads them: the WHATWG parsing rules (multi-line `data:`
 * fields joined with `\n`, CR, LF and CRLF line endings, comments, `event:`/`id:`/`retry:` fields) come
 * from `eventsource-parser`; this file turns each event's data into a JSON item and tells the
 * `[DONE]` sentinel of OpenAI-style streams apart as the end of the stream.
 */
import { createParser } from 'eventsource-parser';

/** The OpenAI-style sentinel a stream sends as its last event. */
export const SSE_DONE = '[DONE]';

/** @internal An incremental SSE reader: feed it decoded text, it reports JSON items and `[DONE]`. */
export interface SseReader {
  /** Parses the next piece of the body (any split, even inside a line ending). */
  feed(text: string): void;
  /**
   * The body ended: dispatches a last event the server did not close with a blank line (the
   * spec discards it; its usage is still what the server sent), then forgets all state.
   */
  end(): void;
}

/**
 * @internal A reader calling `item` with the parsed JSON of each event's data (events whose data is
 * not JSON are skipped) and `done` when the `[DONE]` event arrives.
 */
export function createSseReader(item: (value: unknown) => void, done: () => void): SseReader {
  const parser = createParser({
    onEvent(event) {
      const data = event.data;
      if (data === SSE_DONE) {
        done();
        return;
      }
      if (data === '') return;
      let value: unknown;
      try {
        value = JSON.parse(data);
      } catch {
        return;
      }
      item(value);
    },
  });
  return {
    feed: (text) => parser.feed(text),
    end() {
      parser.feed('\n\n');
      parser.reset();
    },
  };
}
