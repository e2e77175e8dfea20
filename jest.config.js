/**
 * Jest runs natively as ESM (see docs/architecture.md#tests) so the ESM-only dependencies
 * (tslog, lowdb, p-queue) load untransformed. Test files named `*.legacy.test.ts` are compiled
 * with legacy (experimentalDecorators + emitDecoratorMetadata) decorators; every other file with
 * standard TC39 decorators, so both decorator modes are tested in one suite.
 */
import { existsSync } from 'node:fs';

const swc = (decorators) => [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: decorators,
    },
    module: { type: 'es6' },
  },
];

/**
 * `LLMTRACE_TEST_OPENAI_DIR` (set by scripts/test-versions.mjs) points `openai` at another installed
 * copy of the SDK (its package folder), so the same suites run against another major version.
 */
const openaiDir = process.env.LLMTRACE_TEST_OPENAI_DIR;
if (openaiDir && !existsSync(`${openaiDir}/package.json`)) {
  throw new Error(`LLMTRACE_TEST_OPENAI_DIR must be an installed openai package folder, got ${openaiDir}`);
}
const openaiMapping = openaiDir ? { '^openai$': `${openaiDir}/index.mjs`, '^openai/(.*)$': `${openaiDir}/$1.mjs` } : {};

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { ...openaiMapping, '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.legacy\\.test\\.ts$': swc({ legacyDecorator: true, decoratorMetadata: true }),
    '^.+\\.ts$': swc({ decoratorVersion: '2023-11' }),
  },
  testTimeout: 20000,
};
