import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Real OCR, real SQLite and a real browser: generous limits, no timing assertions.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // Two cores: OCR-heavy files must not all run at once.
    maxWorkers: 2,
    pool: 'forks',
    // Scans are encrypted at rest: every backend, CLI child and web host a test opens unlocks with
    // this synthetic data passphrase (tests about the passphrase itself pass their own).
    env: { SOHOA_PASSPHRASE: 'cum-mat-khau-thu-nghiem' },
  },
});
