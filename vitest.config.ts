import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'console/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The temp root first: DynamoDB Local is started with its temp folder in it, and stopped before it is removed.
    globalSetup: ['test/setup/temp-root.ts', 'test/setup/dynamodb-local.ts'],
    setupFiles: ['test/setup/remove-temp-folders.ts'],
  },
});
