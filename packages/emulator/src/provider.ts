/** The API family a request was addressed to, decided by its URL prefix. */
export type Provider = 'openai' | 'anthropic' | 'mistral' | 'google';

/** URL prefixes under which each provider's API is served. */
export const PROVIDER_PREFIXES: Readonly<Record<Provider, string>> = {
  openai: '',
  anthropic: '/anthropic',
  mistral: '/mistral',
  google: '/gemini',
};
