/**
 * Jest resolver for the version runs (scripts/test-versions.mjs): the packages named in
 * `LLMTRACE_TEST_OVERRIDE_PACKAGES` (comma-separated, e.g. `openai` or `ai,@ai-sdk/openai`) resolve
 * from the project folder `LLMTRACE_TEST_OVERRIDE_DIR` (which holds another installed major of them
 * in its node_modules) instead of this repository's node_modules, with the same `exports` conditions;
 * their own imports then resolve inside that folder. Every other request resolves as usual.
 * Without the two variables it changes nothing.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.LLMTRACE_TEST_OVERRIDE_DIR;
const names = (process.env.LLMTRACE_TEST_OVERRIDE_PACKAGES ?? '').split(',').map((n) => n.trim()).filter(Boolean);
if ((dir && names.length === 0) || (!dir && names.length > 0)) {
  throw new Error('LLMTRACE_TEST_OVERRIDE_DIR and LLMTRACE_TEST_OVERRIDE_PACKAGES must be set together');
}
for (const name of names) {
  if (!existsSync(join(dir, 'node_modules', name, 'package.json'))) {
    throw new Error(`LLMTRACE_TEST_OVERRIDE_DIR ${dir} has no node_modules/${name}`);
  }
}

/** The overridden package a bare request names, if any. */
function overridden(request) {
  return names.find((name) => request === name || request.startsWith(`${name}/`));
}

/** @type {(request: string, options: { basedir: string, defaultResolver: Function }) => string} */
module.exports = (request, options) =>
  overridden(request) ? options.defaultResolver(request, { ...options, basedir: dir }) : options.defaultResolver(request, options);
