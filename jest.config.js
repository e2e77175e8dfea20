/**
 * Jest runs natively as ESM (see docs/architecture.md#tests) so the ESM-only dependencies
 * (tslog, lowdb, p-queue) load untransformed. Test files named `*.legacy.test.ts` are compiled
 * with legacy (experimentalDecorators + emitDecoratorMetadata) decorators; every other file with
 * standard TC39 decorators, so both decorator modes are tested in one suite.
 */
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

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Another installed major of chosen SDKs, for the version runs (LLMTRACE_TEST_OVERRIDE_*; see the file).
  resolver: '<rootDir>/__tests__/helpers/version-resolver.cjs',
  transform: {
    '^.+\\.legacy\\.test\\.ts$': swc({ legacyDecorator: true, decoratorMetadata: true }),
    '^.+\\.ts$': swc({ decoratorVersion: '2023-11' }),
  },
  testTimeout: 20000,
};
