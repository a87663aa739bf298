import fc from 'fast-check';
import { expect, it } from 'vitest';
import { counterIdOf, documentIdOf } from './document-id';

it('joins parts with an escaped separator', () => {
  expect(counterIdOf({ budgetId: 'app', scope: 'user:u|1', period: 'month:2026-11' })).toBe(
    'app|user:u\\|1|month:2026-11',
  );
  expect(documentIdOf(['a\\', 'b'])).not.toBe(documentIdOf(['a\\|b']));
});

it('gives different lists of parts different ids', () => {
  const part = fc.string({ unit: fc.constantFrom('a', '|', '\\', ':'), maxLength: 6 });
  fc.assert(
    fc.property(fc.array(part, { maxLength: 4 }), fc.array(part, { maxLength: 4 }), (left, right) => {
      if (left.length === 0 || right.length === 0) return;
      expect(documentIdOf(left) === documentIdOf(right)).toBe(JSON.stringify(left) === JSON.stringify(right));
    }),
    { numRuns: 5_000 },
  );
});
