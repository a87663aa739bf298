import type { Usage } from '@tollgate/core';
import { readUsageBlock, type UsageLimits } from '@tollgate/core/adapter';

/**
 * The usage of an AI SDK language model call (`LanguageModelV3Usage`, `LanguageModelV4Usage`):
 * what `doGenerate` returns and a stream's `finish` part carries.
 */
export interface AiSdkUsage {
  inputTokens?: { total?: number; noCache?: number; cacheRead?: number; cacheWrite?: number };
  outputTokens?: { total?: number; text?: number; reasoning?: number };
  [field: string]: unknown;
}

/**
 * Converts an AI SDK usage into tollgate's normalized usage, under the kit's rule
 * (`readUsageBlock`: throws `UntrustedUsageError` for a block it cannot trust).
 *
 * - `inputTokens.total` includes the cache reads and writes, which must fit in it; the rest
 *   (`noCache`, or the total less the cache when a provider leaves `noCache` out) is billed as
 *   input. The providers already put Anthropic's separate cache counts into the total.
 * - `outputTokens.total` includes the reasoning tokens (`outputTokens.reasoning`), which must
 *   fit in it.
 */
export function convertAiSdkUsage(usage: AiSdkUsage | unknown, limits?: UsageLimits): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const input = read.details(fields.inputTokens, 'inputTokens');
    const output = read.details(fields.outputTokens, 'outputTokens');
    const inputTotal = read.count(input.total, 'inputTokens.total', { required: true });
    const cacheRead = read.count(input.cacheRead, 'inputTokens.cacheRead');
    const cacheWrite = read.count(input.cacheWrite, 'inputTokens.cacheWrite');
    read.partOf(
      cacheRead + cacheWrite,
      'inputTokens.cacheRead + cacheWrite',
      inputTotal,
      'inputTokens.total',
    );
    const noCache =
      input.noCache === undefined || input.noCache === null
        ? Math.max(0, inputTotal - cacheRead - cacheWrite)
        : read.count(input.noCache, 'inputTokens.noCache');
    read.partOf(
      noCache + cacheRead + cacheWrite,
      'inputTokens.noCache + cache',
      inputTotal,
      'inputTokens.total',
    );
    const outputTotal = read.count(output.total, 'outputTokens.total', { required: true });
    const reasoning = read.count(output.reasoning, 'outputTokens.reasoning');
    read.partOf(reasoning, 'outputTokens.reasoning', outputTotal, 'outputTokens.total');
    return {
      inputTokens: noCache,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      outputTokens: outputTotal,
      reasoningTokens: reasoning,
    };
  });
}

/** The usage of an AI SDK embedding call (`{ tokens }`), under the same rule. */
export function convertAiSdkEmbeddingUsage(
  usage: { tokens?: number } | unknown,
  limits?: UsageLimits,
): Usage {
  return readUsageBlock(usage, limits, (fields, read) => ({
    inputTokens: read.count(fields.tokens, 'tokens', { required: true }),
  }));
}
