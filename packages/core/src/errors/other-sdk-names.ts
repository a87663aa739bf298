/**
 * Field names of the provider SDKs that users bring to tollgate's own options, and the name
 * each has here: an unknown key found in this table is answered with its tollgate name.
 */
const OTHER_SDK_NAMES: Readonly<Record<string, string>> = {
  prompt: 'text',
  input: 'text',
  messages: 'text',
  contents: 'text',
  max_tokens: 'maxOutputTokens',
  maxTokens: 'maxOutputTokens',
  max_completion_tokens: 'maxOutputTokens',
  max_output_tokens: 'maxOutputTokens',
  maxOutputTokenCount: 'maxOutputTokens',
  prompt_tokens: 'inputTokens',
  promptTokens: 'inputTokens',
  input_tokens: 'inputTokens',
  completion_tokens: 'outputTokens',
  completionTokens: 'outputTokens',
  output_tokens: 'outputTokens',
  cached_tokens: 'cacheReadTokens',
  cache_read_input_tokens: 'cacheReadTokens',
  cache_creation_input_tokens: 'cacheWriteTokens',
  reasoning_tokens: 'reasoningTokens',
  user: 'userId',
  user_id: 'userId',
};

/** What `key` (another SDK's name) is called among `allowed`, when it is one of them. */
export function tollgateNameOf(key: string, allowed: readonly string[]): string | undefined {
  const name = Object.hasOwn(OTHER_SDK_NAMES, key) ? OTHER_SDK_NAMES[key] : undefined;
  return name !== undefined && allowed.includes(name) ? name : undefined;
}
