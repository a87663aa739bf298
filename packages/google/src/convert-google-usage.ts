import type { Usage } from '@tollgate/core';
import {
  readUsageBlock,
  type UsageBlockFields,
  type UsageBlockReader,
  type UsageLimits,
} from '@tollgate/core/adapter';

/**
 * The `usageMetadata` of a Gemini response (generateContent, a stream chunk, embedContent), as
 * `@google/genai` hands it over. The API leaves out a count that is zero.
 */
export interface GoogleUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: readonly { modality?: string; tokenCount?: number }[];
  [field: string]: unknown;
}

/** The tokens of one modality in a `…TokensDetails` list (`AUDIO` in `promptTokensDetails`). */
function modalityTokens(
  read: UsageBlockReader,
  fields: UsageBlockFields,
  field: string,
  modality: string,
): number {
  let tokens = 0;
  const details = read.list(fields[field], field);
  for (const [index, entry] of details.entries()) {
    const detail = read.details(entry, `${field}[${index}]`);
    if (detail.modality === modality)
      tokens += read.count(detail.tokenCount, `${field}[${index}].tokenCount`);
  }
  return tokens;
}

/**
 * Converts a Gemini `usageMetadata` into tollgate's normalized usage, under the kit's rule
 * (`readUsageBlock`: throws `UntrustedUsageError` for a block it cannot trust).
 *
 * - `promptTokenCount` includes the cached tokens (`cachedContentTokenCount`, billed at the
 *   cache rate), which must fit in it; the uncached rest is billed as input.
 * - `toolUsePromptTokenCount` (the results of tools the API ran, fed back to the model) is input
 *   on top of the prompt.
 * - `thoughtsTokenCount` is reported beside `candidatesTokenCount`, not in it, and billed as
 *   output: the output is their sum, the reasoning the thoughts.
 * - Audio in the prompt (`promptTokensDetails` with modality `AUDIO`) is input audio, which some
 *   models price apart.
 */
export function convertGoogleUsage(usage: GoogleUsageMetadata | unknown, limits?: UsageLimits): Usage {
  return readUsageBlock(usage, limits, (fields, read) => {
    const prompt = read.count(fields.promptTokenCount, 'promptTokenCount', { required: true });
    const cached = read.count(fields.cachedContentTokenCount, 'cachedContentTokenCount');
    read.partOf(cached, 'cachedContentTokenCount', prompt, 'promptTokenCount');
    const toolUse = read.count(fields.toolUsePromptTokenCount, 'toolUsePromptTokenCount');
    const candidates = read.count(fields.candidatesTokenCount, 'candidatesTokenCount');
    const thoughts = read.count(fields.thoughtsTokenCount, 'thoughtsTokenCount');
    const total = read.count(fields.totalTokenCount, 'totalTokenCount');
    if (fields.totalTokenCount !== undefined && fields.totalTokenCount !== null)
      read.partOf(prompt + toolUse + candidates + thoughts, 'the counts', total, 'totalTokenCount');
    const audio = modalityTokens(read, fields, 'promptTokensDetails', 'AUDIO');
    const uncached = Math.max(0, prompt - cached);
    return {
      inputTokens: uncached + toolUse,
      cacheReadTokens: cached,
      inputAudioTokens: Math.min(audio, uncached),
      outputTokens: candidates + thoughts,
      reasoningTokens: thoughts,
    };
  });
}
