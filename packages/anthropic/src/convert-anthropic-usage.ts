import type { Usage } from '@tollgate/core';
import { readUsageBlock, type UsageBlockReader, type UsageLimits } from '@tollgate/core/adapter';

/** The part of a usage iteration tollgate reads (beta `usage.iterations[]`). */
export interface AnthropicIterationUsage {
  type?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: AnthropicCacheCreation | null;
}

/** Cache writes by time to live, priced at their own premiums (`usage.cache_creation`). */
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

type Fields = Readonly<Record<string, unknown>>;

/**
 * Converts Anthropic usage into tollgate's normalized usage, under the kit's rule
 * (`readUsageBlock`: throws `UntrustedUsageError` for a block it cannot trust).
 *
 * - `input_tokens` excludes cached tokens, so it is the uncached input as it is;
 * - cache writes are `cache_creation_input_tokens`, of which the one-hour writes are
 *   `cache_creation.ephemeral_1h_input_tokens` (writes reported only by their breakdown are
 *   its sum; a breakdown larger than a reported total is not trusted);
 * - `output_tokens` already includes thinking, reported apart as `reasoningTokens`;
 * - `server_tool_use.web_search_requests` are web searches (web fetches cost only tokens);
 * - `compaction` iterations (beta context management) are billed but left out of the
 *   top-level fields, so their tokens are added (each is held to the context window alone).
 */
export function convertAnthropicUsage(usage: AnthropicUsageFields | unknown, limits?: UsageLimits): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    let inputTokens = read.count(fields.input_tokens, 'input_tokens', { required: true });
    const reportedOutput = read.count(fields.output_tokens, 'output_tokens', { required: true });
    let outputTokens = reportedOutput;
    let cacheReadTokens = read.count(fields.cache_read_input_tokens, 'cache_read_input_tokens');
    let { total: cacheWriteTokens, oneHour: cacheWrite1hTokens } = cacheWrites(read, fields, '');

    const iterations = read.list(fields.iterations, 'iterations');
    for (let index = 0; index < iterations.length; index++) {
      const name = `iterations[${index}]`;
      const iteration = read.details(iterations[index], name);
      if (iteration.type !== 'compaction') continue;
      const writes = cacheWrites(read, iteration, `${name}.`);
      inputTokens += read.count(iteration.input_tokens, `${name}.input_tokens`);
      outputTokens += read.count(iteration.output_tokens, `${name}.output_tokens`);
      cacheReadTokens += read.count(iteration.cache_read_input_tokens, `${name}.cache_read_input_tokens`);
      cacheWriteTokens += writes.total;
      cacheWrite1hTokens += writes.oneHour;
    }

    const details = read.details(fields.output_tokens_details, 'output_tokens_details');
    const reasoningTokens = read.count(details.thinking_tokens, 'output_tokens_details.thinking_tokens');
    read.partOf(reasoningTokens, 'output_tokens_details.thinking_tokens', reportedOutput, 'output_tokens');
    const serverTools = read.details(fields.server_tool_use, 'server_tool_use');
    const webSearches = read.count(serverTools.web_search_requests, 'server_tool_use.web_search_requests');
    read.count(serverTools.web_fetch_requests, 'server_tool_use.web_fetch_requests');
    return {
      inputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      cacheWrite1hTokens,
      outputTokens,
      reasoningTokens,
      webSearches,
    };
  });
}

function cacheWrites(
  read: UsageBlockReader,
  usage: Fields,
  prefix: string,
): { total: number; oneHour: number } {
  const reported = usage.cache_creation_input_tokens;
  const total = read.count(reported, `${prefix}cache_creation_input_tokens`);
  const breakdown = read.details(usage.cache_creation, `${prefix}cache_creation`);
  const fiveMinutes = read.count(
    breakdown.ephemeral_5m_input_tokens,
    `${prefix}cache_creation.ephemeral_5m_input_tokens`,
  );
  const oneHour = read.count(
    breakdown.ephemeral_1h_input_tokens,
    `${prefix}cache_creation.ephemeral_1h_input_tokens`,
  );
  // Writes reported only by their breakdown are its sum; a reported total must hold its breakdown.
  if (reported === undefined || reported === null) return { total: fiveMinutes + oneHour, oneHour };
  read.partOf(
    fiveMinutes + oneHour,
    `${prefix}cache_creation`,
    total,
    `${prefix}cache_creation_input_tokens`,
  );
  return { total, oneHour };
}
