import { describe, expect, it } from 'vitest';
import { runExampleProcess } from './example-process';

const EXAMPLES: [file: string, expected: RegExp][] = [
  ['quick-start.ts', /refused, as expected:\nBudgetExceededError: Budget "tiny"/],
  ['anthropic-streaming-prompt-caching.ts', /0 written to the cache, \d+ read from it/],
  ['mistral-speech-to-text.ts', /billed: 95 seconds of audio/],
  ['strategy-selector.ts', /RED at \d+% used → CHEAPEST_FIRST/],
  ['multi-tenant-budgets.ts', /u-ana: refused by budget "per-user" \(user:u-ana\)/],
  ['mongodb-shared-budget.ts', /together: \d+ served, [1-9]\d* refused|needs a MongoDB/],
  ['report.ts', /would have saved \$/],
];

describe('examples run offline', () => {
  for (const [file, expected] of EXAMPLES) {
    it(`${file} exits 0`, async () => {
      const result = await runExampleProcess(file);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(expected);
    });
  }
});
