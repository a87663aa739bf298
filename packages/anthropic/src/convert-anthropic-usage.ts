import { createUsage, type Usage } from '@tollgate/core';

/** The part of a usage iteration tollgate reads (beta `usage.iterations[]`). */
export interface AnthropicIterationUsage {
  type?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: AnthropicCacheCreation | null;
}

export interface AnthropicCacheCreation {
  ephemeral_5m_input_tokens?: number | null;
  ephemeral_1h_input_tokens?: number | null;
}

/**
 * Usage as the Messages API reports it: `Message.usage`, `message_start.message.usage`,
 * `message_delta.usage` (cumulative) and batch results. Every field is optional so the
 * same shape covers the stable, beta and streamed variants.
 */
export interface AnthropicUsageFields {
  /** Uncached input only: cache reads and writes are reported beside it, not inside it. */
  input_tokens?: number | null;
  /** All output, thinking included. */
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: AnthropicCacheCreation | null;
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  service_tier?: string | null;
  iterations?: readonly AnthropicIterationUsage[] | null;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' ? value : 0;
}

/**
 * Converts Anthropic usage into tollgate's normalized usage.
 *
 * - `input_tokens` excludes cached tokens, so it is the uncached input as it is;
 * - cache writes are `cache_creation_input_tokens`, of which the one-hour writes are
 *   `cache_creation.ephemeral_1h_input_tokens` (a breakdown larger than the total wins,
 *   so a write is never priced as nothing);
 * - `output_tokens` already includes thinking, reported apart as `reasoningTokens`;
 * - `server_tool_use.web_search_requests` are web searches (web fetches cost only tokens);
 * - `compaction` iterations (beta context management) are billed but left out of the
 *   top-level fields, so their tokens are added.
 */
export function convertAnthropicUsage(usage: AnthropicUsageFields): Usage {
  let inputTokens = count(usage.input_tokens);
  let outputTokens = count(usage.output_tokens);
  let cacheReadTokens = count(usage.cache_read_input_tokens);
  let { total: cacheWriteTokens, oneHour: cacheWrite1hTokens } = cacheWrites(usage);

  for (const iteration of usage.iterations ?? []) {
    if (iteration?.type !== 'compaction') continue;
    const writes = cacheWrites(iteration);
    inputTokens += count(iteration.input_tokens);
    outputTokens += count(iteration.output_tokens);
    cacheReadTokens += count(iteration.cache_read_input_tokens);
    cacheWriteTokens += writes.total;
    cacheWrite1hTokens += writes.oneHour;
  }

  return createUsage({
    inputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
    outputTokens,
    reasoningTokens: Math.min(count(usage.output_tokens_details?.thinking_tokens), outputTokens),
    webSearches: count(usage.server_tool_use?.web_search_requests),
    raw: usage,
  });
}

function cacheWrites(usage: AnthropicIterationUsage): { total: number; oneHour: number } {
  const reported = count(usage.cache_creation_input_tokens);
  const fiveMinutes = count(usage.cache_creation?.ephemeral_5m_input_tokens);
  const oneHour = count(usage.cache_creation?.ephemeral_1h_input_tokens);
  return { total: Math.max(reported, fiveMinutes + oneHour), oneHour };
}
