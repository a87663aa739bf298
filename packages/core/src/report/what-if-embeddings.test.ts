import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget-manager';
import { createUsage } from '../usage';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** 30 days of document embeddings on mistral-embed, and chat on gpt-4o, a cheaper model for each in the registry. */
async function embeddingsAndChat() {
  const budget = createBudget({ budgets: [{ id: 'app', limitUsd: 1_000 }], clock: () => NOW });
  for (let day = 0; day < 30; day++) {
    const timestamp = NOW - day * 86_400_000;
    await budget.recordUsage({
      provider: 'mistral',
      model: 'mistral-embed',
      usage: createUsage({ inputTokens: 2_000_000 }),
      context: { requestType: 'index-documents' },
      timestamp,
    });
    await budget.recordUsage({
      provider: 'openai',
      model: 'gpt-4o',
      usage: createUsage({ inputTokens: 12_000, outputTokens: 800 }),
      context: { requestType: 'chat' },
      timestamp,
    });
  }
  return budget;
}

describe('what-if savings and embeddings', () => {
  it('never proposes moving an embedding service to another model: its vectors would change', async () => {
    const budget = await embeddingsAndChat();
    const savings = await budget.whatIfSavings({ days: 30 });
    expect(savings.map((saving) => saving.service)).toContain('llm');
    expect(savings.filter((saving) => saving.service === 'embedding')).toEqual([]);
    const recommendations = await budget.recommendations({ days: 30 });
    expect(
      recommendations.filter((recommendation) => recommendation.savings?.service === 'embedding'),
    ).toEqual([]);
  });

  it('replays embeddings on other models when the app opts in', async () => {
    const budget = await embeddingsAndChat();
    const savings = await budget.whatIfSavings({ days: 30, includeEmbeddings: true });
    const embeddings = savings.filter((saving) => saving.service === 'embedding');
    expect(embeddings.map((saving) => [saving.from.model, saving.to.model])).toContainEqual([
      'mistral-embed',
      'text-embedding-3-small',
    ]);
    const recommended = await budget.recommendations({ days: 30, includeEmbeddings: true });
    expect(recommended.some((recommendation) => recommendation.savings?.service === 'embedding')).toBe(true);
  });

  it('refuses an opt-in that is not a boolean', async () => {
    const budget = createBudget({ clock: () => NOW });
    await expect(budget.whatIfSavings({ includeEmbeddings: 'yes' as never })).rejects.toThrow(
      'Invalid includeEmbeddings',
    );
  });
});
