import { countTokens, type GateRequest } from '@tollgate/core';
import { cacheWritePremium } from './anthropic-cache-write-premium';
import { estimateAnthropicPrompt } from './anthropic-prompt-estimate';
import type { AnthropicRuntime } from './anthropic-wrapper-options';

/** A resource with the free token-counting endpoint (`messages`, `beta.messages`). */
export interface TokenCountingResource {
  countTokens?(
    params: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): PromiseLike<{ input_tokens: number }>;
}

/** Fields of a Messages request that `countTokens` accepts and that change the count. */
const COUNTED_FIELDS = [
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'mcp_servers',
  'context_management',
  'output_config',
  'output_format',
  'cache_control',
  'betas',
] as const;

/**
 * The prompt part of the gate request: an exact count from the API when asked and available,
 * else a local one; with prompt caching, plus the cache-write premium on the whole prompt.
 */
export async function countAnthropicPrompt(
  runtime: AnthropicRuntime,
  resource: TokenCountingResource,
  params: Record<string, unknown>,
  requestOptions: unknown,
): Promise<Pick<GateRequest, 'inputTokens' | 'text' | 'overheadTokens'>> {
  const premium = cacheWritePremium(params);
  if (runtime.estimateWith === 'countTokens' && typeof resource.countTokens === 'function') {
    const counted = await countWithApi(
      resource,
      params,
      requestOptions as Record<string, unknown> | undefined,
    );
    if (counted !== undefined) return { inputTokens: counted + Math.ceil(counted * premium) };
  }
  const { texts, overheadTokens } = estimateAnthropicPrompt(params);
  if (premium === 0) return { text: texts, overheadTokens };
  // The premium is held on the prompt's upper bound, like the prompt itself.
  let tokens = overheadTokens;
  for (const text of texts)
    tokens += countTokens(text, runtime.options.provider, params.model as string).upperBound;
  return { text: texts, overheadTokens: overheadTokens + Math.ceil(tokens * premium) };
}

async function countWithApi(
  resource: TokenCountingResource,
  params: Record<string, unknown>,
  requestOptions: Record<string, unknown> | undefined,
): Promise<number | undefined> {
  const body: Record<string, unknown> = {};
  for (const field of COUNTED_FIELDS) if (params[field] !== undefined) body[field] = params[field];
  const options: Record<string, unknown> = {};
  if (requestOptions?.headers !== undefined) options.headers = requestOptions.headers;
  if (requestOptions?.signal !== undefined) options.signal = requestOptions.signal;
  try {
    const result = await resource.countTokens?.(body, options);
    const tokens = result?.input_tokens;
    return typeof tokens === 'number' && Number.isSafeInteger(tokens) && tokens >= 0 ? tokens : undefined;
  } catch {
    // The count is an optimisation: any failure (rate limit, network, an unknown field) falls back to the local count.
    return undefined;
  }
}
