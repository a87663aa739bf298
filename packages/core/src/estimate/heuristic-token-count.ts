/** Conservative token estimate for models without a local tokenizer: about 3 characters a token. */
export function heuristicTokenCount(text: string, _family: 'anthropic' | 'mistral' | 'generic'): number {
  return Math.ceil(text.length / 3);
}
