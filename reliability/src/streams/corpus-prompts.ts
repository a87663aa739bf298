import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * A text of core's token calibration corpus (prose, docs, code in 9 languages, JSON, chat,
 * 14 other languages, numbers, markdown, short strings, adversarial text) with its token
 * counts under each provider's real tokenizer, measured when the corpus was made.
 */
export interface CorpusText {
  readonly kind: string;
  readonly text: string;
  readonly o200kTokens: number;
  readonly anthropicTokens: number;
  readonly mistralTokens: number;
}

export type PromptProvider = 'openai' | 'anthropic' | 'mistral';

const CORPUS_PATH = new URL(
  '../../../packages/core/src/estimate/__fixtures__/token-calibration.json',
  import.meta.url,
);

export const CORPUS: readonly CorpusText[] = (
  JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as { samples: CorpusText[] }
).samples;

/** A conversation built from corpus texts: an optional system prompt and 1 to 3 turns ending with the user. */
export interface CorpusPrompt {
  readonly system?: CorpusText;
  readonly turns: readonly CorpusText[];
}

const corpusText = fc.constantFrom(...CORPUS);

export const corpusPrompt: fc.Arbitrary<CorpusPrompt> = fc
  .record({
    system: fc.option(corpusText, { nil: undefined }),
    turns: fc.array(corpusText, { minLength: 1, maxLength: 3 }),
  })
  .map(({ system, turns }) => (system === undefined ? { turns } : { system, turns }));

/**
 * The prompt tokens the real provider bills at the least for this prompt: the tokens of its
 * texts under that provider's own tokenizer, without the per-message framing (which the
 * provider adds on top and does not publish for every model).
 */
export function realPromptTokens(prompt: CorpusPrompt, provider: PromptProvider): number {
  const texts = prompt.system === undefined ? prompt.turns : [prompt.system, ...prompt.turns];
  let tokens = 0;
  for (const text of texts) {
    tokens +=
      provider === 'openai'
        ? text.o200kTokens
        : provider === 'anthropic'
          ? text.anthropicTokens
          : text.mistralTokens;
  }
  return tokens;
}

/** The turns as chat messages, alternating user and assistant, the last one from the user. */
export function chatTurns(prompt: CorpusPrompt): { role: 'user' | 'assistant'; content: string }[] {
  const count = prompt.turns.length;
  return prompt.turns.map((turn, index) => ({
    role: (count - 1 - index) % 2 === 0 ? 'user' : 'assistant',
    content: turn.text,
  }));
}
