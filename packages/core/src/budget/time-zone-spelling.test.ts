import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { createBudget } from './budget-manager';
import { budgetConfigOf, budgetDefinitionOf, validateBudgetDefinition } from './budget-definition';
import { validateTimeZone } from './period';

const NOW = Date.UTC(2026, 11, 20, 10, 0, 0);
const clock = () => NOW;

describe('a time zone written in another letter case', () => {
  it('is spelled as the IANA database spells it', () => {
    expect(validateTimeZone('utc', 'timeZone')).toBe('UTC');
    expect(validateTimeZone('europe/paris', 'timeZone')).toBe('Europe/Paris');
    expect(validateTimeZone('AMERICA/NEW_YORK', 'timeZone')).toBe('America/New_York');
  });

  it('keeps a name spelled right, an alias too', () => {
    for (const timeZone of ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'Etc/UTC', 'US/Eastern'])
      expect(validateTimeZone(timeZone, 'timeZone')).toBe(timeZone);
  });

  it('is shown and saved in that spelling', async () => {
    const store = new MemoryStore();
    const budget = createBudget({
      store,
      budgets: [{ id: 'app', limitUsd: 30, period: 'day', timeZone: 'utc' }],
      reportTimeZone: 'europe/paris',
      clock,
    });
    expect((await budget.status())[0]).toMatchObject({ timeZone: 'UTC', periodKey: 'day:2026-12-20' });
    expect(budget.reportTimeZone).toBe('Europe/Paris');
    await budget.close();
    expect((await store.readBudgets())[0]).toMatchObject({ timeZone: 'UTC' });
  });

  it('read back from a definition saved before, is the same budget as the one configured now', () => {
    const [configured] = createBudget({ budgets: [{ id: 'app', limitUsd: 30, timeZone: 'UTC' }] }).budgets;
    const savedBefore = { ...budgetDefinitionOf(configured!), timeZone: 'utc' };
    const read = validateBudgetDefinition(savedBefore, 'definition');
    expect(read).toEqual(budgetDefinitionOf(configured!));
    expect(budgetConfigOf(read).timeZone).toBe('UTC');
  });
});
