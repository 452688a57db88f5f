import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (logic, no I/O beyond temp files), `integration` (real HTTP against the local
 * OpenAI-compatible server, the real keychain, real files) and `e2e` (real Chromium driving the built
 * renderer through the browser host). `npm test` runs them all after typecheck, lint, the security scan
 * and the build.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time on a 2-core machine keeps the runs steady.
          fileParallelism: false,
        },
      },
    ],
  },
});
