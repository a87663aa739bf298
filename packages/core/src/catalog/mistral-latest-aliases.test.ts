import { expect, it } from 'vitest';
import { MISTRAL_LATEST_ALIASES } from './mistral-latest-aliases';
import { PriceCatalog } from './price-catalog';

const catalog = new PriceCatalog();
const at = new Date('2026-12-06T12:00:00Z');

it.each(MISTRAL_LATEST_ALIASES.map((entry) => [entry.alias, entry] as const))(
  '%s is priced as the dated model it serves, with the date it was checked',
  (alias, entry) => {
    const resolved = catalog.resolve('mistral', alias, at)!;
    const dated = catalog.resolve('mistral', entry.model, at)!;
    // One entry of tollgate's layer: the dated id and its aliases resolve to the same catalog id.
    expect(resolved).toEqual(dated);
    expect(resolved.source).toBe('tollgate');
    expect(entry.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(entry.source).not.toBe('');
  },
);

it('bills the cached prompt tokens of every dated chat model an alias serves at 10% of its input price', () => {
  for (const entry of MISTRAL_LATEST_ALIASES) {
    const { rates } = catalog.resolve('mistral', entry.model, at)!.price;
    expect(rates.cacheRead!.nanoUsd * 10, entry.model).toBe(rates.input!.nanoUsd);
    expect(rates.cacheRead!.per).toBe(rates.input!.per);
  }
});

it('covers every family of Mistral alias', () => {
  const families = new Set(MISTRAL_LATEST_ALIASES.map((entry) => entry.alias.split('-')[0]));
  expect([...families].sort()).toEqual([
    'codestral',
    'devstral',
    'magistral',
    'ministral',
    'mistral',
    'pixtral',
    'voxtral',
  ]);
});
