/** configure(): process-wide settings, checked before anything changes. */
import { configure, getLogger } from '../../index.js';

describe('configure', () => {
  test.each([null, 'debug', 42])('a logger that is neither a TraceLogger nor options gets a one-line llmtrace TypeError (%p)', (bad) => {
    const before = getLogger();
    expect(() => configure({ logger: bad as never })).toThrow(
      new TypeError(`llmtrace: configure: logger must be a TraceLogger (createLogger()), an application logger (pino, winston, console) or logger options, got ${JSON.stringify(bad)} (${typeof bad})`),
    );
    expect(getLogger()).toBe(before);
  });
});
