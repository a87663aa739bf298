import { createRequire } from 'node:module';
import { heuristicTokenCount } from './heuristic-token-count';

export type TokenCountMethod = 'exact' | 'heuristic';

interface Encoder {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

// Prompt text that happens to contain "<|endoftext|>" and the like is ordinary text to the
// API; by default gpt-tokenizer would throw on it.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const encoders = new Map<string, Encoder>();
let requireFromHere: NodeJS.Require | undefined;

/**
 * Counts the tokens of a text for a model: exact for OpenAI models (gpt-tokenizer,
 * o200k_base or cl100k_base, loaded on first use, never at import), a calibrated
 * conservative heuristic for everything else.
 */
export function countTokens(
  text: string,
  provider: string,
  model: string,
): { tokens: number; method: TokenCountMethod } {
  if (text.length === 0) return { tokens: 0, method: 'exact' };
  const encoding = openAiEncodingFor(provider.toLowerCase(), model.toLowerCase());
  if (encoding) return { tokens: loadEncoder(encoding).countTokens(text, AS_PLAIN_TEXT), method: 'exact' };
  const family = /^anthropic$/i.test(provider)
    ? 'anthropic'
    : /^mistral$/i.test(provider)
      ? 'mistral'
      : 'generic';
  return { tokens: heuristicTokenCount(text, family), method: 'heuristic' };
}

function openAiEncodingFor(provider: string, model: string): 'o200k_base' | 'cl100k_base' | undefined {
  if (provider !== 'openai' && provider !== 'azure') return undefined;
  if (
    /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|gpt-image|gpt-realtime|gpt-audio|gpt-oss|codex)/.test(
      model,
    )
  )
    return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5|text-embedding|davinci|babbage)/.test(model)) return 'cl100k_base';
  return 'o200k_base';
}

function loadEncoder(encoding: 'o200k_base' | 'cl100k_base'): Encoder {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    // In the CommonJS build `import.meta` is empty: resolve from the file instead.
    requireFromHere ??= createRequire(import.meta.url ?? __filename);
    encoder = requireFromHere(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
    encoders.set(encoding, encoder);
  }
  return encoder;
}
