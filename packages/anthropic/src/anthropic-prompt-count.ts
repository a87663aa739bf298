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
 * The prompt part of the gate request, counted locally (the gate holds its upper bound); with
 * prompt caching, plus the cache-write premium on the whole prompt.
 */
export function countAnthropicPromptLocally(
  runtime: AnthropicRuntime,
  params: Record<string, unknown>,
): Pick<GateRequest, 'text' | 'overheadTokens'> {
  const premium = cacheWritePremium(params);
  const { texts, overheadTokens } = estimateAnthropicPrompt(params);
  if (premium === 0) return { text: texts, overheadTokens };
  // The premium is held on the prompt's upper bound, like the prompt itself.
  let tokens = overheadTokens;
  for (const text of texts)
    tokens += countTokens(text, runtime.options.provider, params.model as string).upperBound;
  return { text: texts, overheadTokens: overheadTokens + Math.ceil(tokens * premium) };
}

/**
 * The plan's exact count (`countPromptExactly`): the free `countTokens` endpoint's `input_tokens`
 * for the request's counted fields, with the caller's headers and signal, plus the cache-write
 * premium. Undefined when the resource has no such endpoint. The endpoint counts what the
 * request sends, system prompt and tools included; thinking blocks of earlier turns, which the
 * API leaves out of the context, and server tools' later sampling calls are not in it, nor
 * billed before the call.
 */
export function anthropicExactCount(
  resource: TokenCountingResource,
  params: Record<string, unknown>,
  requestOptions: unknown,
): ((signal: AbortSignal) => Promise<number>) | undefined {
  if (typeof resource.countTokens !== 'function') return undefined;
  return async (signal) => {
    const body: Record<string, unknown> = {};
    for (const field of COUNTED_FIELDS) if (params[field] !== undefined) body[field] = params[field];
    const given = requestOptions as Record<string, unknown> | undefined;
    const options: Record<string, unknown> = { signal };
    if (given?.headers !== undefined) options.headers = given.headers;
    if (given?.signal instanceof AbortSignal) options.signal = AbortSignal.any([given.signal, signal]);
    const result = await resource.countTokens!(body, options);
    const counted = result?.input_tokens;
    if (!Number.isSafeInteger(counted) || counted < 0)
      throw new TypeError('countTokens answered no input_tokens count');
    return counted + Math.ceil(counted * cacheWritePremium(params));
  };
}
