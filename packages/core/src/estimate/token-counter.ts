import { createRequire } from 'node:module';
import { heuristicTokenCount } from './heuristic-token-count';

export type TokenCountMethod = 'exact' | 'heuristic';

interface Encoder {
  countTokens(text: string): number;
}

const encoders = new Map<string, Encoder>();
let requireFromHere: NodeJS.Require | undefined;

/**
 * Counts the tokens of a text for a model: exact for OpenAI models (gpt-tokenizer,
 * o200k_base or cl100k_base, loaded on first use, never at import), a calibrated
 * conservative heuristic for everything else.
 */
export function countTokens(text: string, provider: string, model: string): { tokens: number; method: TokenCountMethod } {
  if (text.length === 0) return { tokens: 0, method: 'exact' };
  const encoding = openAiEncodingFor(provider, model);
  if (encoding) return { tokens: loadEncoder(encoding).countTokens(text), method: 'exact' };
  const family = provider === 'anthropic' ? 'anthropic' : provider === 'mistral' ? 'mistral' : 'generic';
  return { tokens: heuristicTokenCount(text, family), method: 'heuristic' };
}

function openAiEncodingFor(provider: string, model: string): 'o200k_base' | 'cl100k_base' | undefined {
  if (provider !== 'openai' && provider !== 'azure') return undefined;
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|gpt-image|gpt-realtime|gpt-audio|gpt-oss|codex)/.test(model)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5|text-embedding|davinci|babbage)/.test(model)) return 'cl100k_base';
  return 'o200k_base';
}

function loadEncoder(encoding: 'o200k_base' | 'cl100k_base'): Encoder {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    requireFromHere ??= createRequire(import.meta.url);
    encoder = requireFromHere(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
    encoders.set(encoding, encoder);
  }
  return encoder;
}
