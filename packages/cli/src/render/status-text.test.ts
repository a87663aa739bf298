import { createBudget } from '@tollgate/core';
import { describe, expect, it } from 'vitest';
import { statusesJson } from '../report/status-json';
import { createColors } from './colors';
import { renderStatusText } from './status-text';
import { stripAnsi } from './visible-width';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);

async function headingOf(budgetId: string, userId: string | undefined, color: boolean, width = 80) {
  const budget = createBudget({
    budgets: [
      { id: 'app', limitUsd: 30 },
      { id: budgetId, limitUsd: 0.5, period: 'day', scope: 'user' },
    ],
    clock: () => NOW,
  });
  const statuses = statusesJson(budget, await budget.status(userId === undefined ? {} : { userId }));
  const text = renderStatusText(statuses, createColors(color), width);
  return stripAnsi(text)
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(' '));
}

describe('renderStatusText headings', () => {
  it('keep the level two spaces clear of a title as long as the level column', async () => {
    const [, plain] = await headingOf('per-user', 'nobody', false);
    expect(plain).toBe('per-user (user:nobody)  day 2026-12-07 · UTC  GREEN');
    // A coloured level is a badge with a blank either side of the word, inside the colour.
    const [, badge] = await headingOf('per-user', 'nobody', true);
    expect(badge).toBe('per-user (user:nobody)  day 2026-12-07 · UTC   GREEN ');
  });

  it('keep the level two spaces clear of a longer title', async () => {
    const [, perUser] = await headingOf('per-user-with-a-long-name', 'someone-with-a-long-id', false);
    expect(perUser).toBe(
      'per-user-with-a-long-name (user:someone-with-a-long-id)  day 2026-12-07 · UTC  GREEN',
    );
  });

  it('right-align the level at the end of the bar line when the title is short', async () => {
    const [app] = await headingOf('per-user', undefined, false);
    expect(app).toBe(`app  month 2026-12 · UTC${' '.repeat(21)}GREEN`);
    expect(app).toHaveLength(50);
  });
});
