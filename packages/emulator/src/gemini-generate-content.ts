import type { EndpointContext } from './endpoint-context.js';
import { geminiContents, geminiModel, geminiPromptTokens } from './gemini-prompt-tokens.js';
import { stringifyJson } from './raw-json.js';
import { replyTokens, thinkingTokens } from './reply-text.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { computeTokenUsage, suppliedUsage, type TokenUsage } from './usage-model.js';

interface GenerationConfig {
  maxOutputTokens?: unknown;
  thinkingConfig?: { thinkingBudget?: unknown; includeThoughts?: unknown };
}

/**
 * Gemini's `usageMetadata`: `promptTokenCount` includes the cached tokens
 * (`cachedContentTokenCount`), thinking tokens (`thoughtsTokenCount`) are reported beside
 * `candidatesTokenCount` and billed as output.
 */
function geminiUsage(usage: TokenUsage): Record<string, unknown> {
  const promptTokenCount = usage.inputTokens + usage.cachedTokens;
  const metadata: Record<string, unknown> = {
    promptTokenCount,
    candidatesTokenCount: usage.outputTokens,
    totalTokenCount: promptTokenCount + usage.outputTokens + usage.reasoningTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
  };
  if (usage.cachedTokens > 0) {
    metadata.cachedContentTokenCount = usage.cachedTokens;
    metadata.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: usage.cachedTokens }];
  }
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  return metadata;
}

function generationUsage(context: EndpointContext): TokenUsage {
  const contents = geminiContents(context);
  const config = (context.body.generationConfig ?? {}) as GenerationConfig;
  const thinking = config.thinkingConfig;
  const budget = thinking?.thinkingBudget;
  return computeTokenUsage(
    {
      promptTokens: geminiPromptTokens(contents, context.body.systemInstruction, context.body.tools),
      outputLimit: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
      reasoningRequested: thinking !== undefined && budget !== 0,
      reasoningLimit: typeof budget === 'number' && budget > 0 ? budget : undefined,
    },
    context.usage,
  );
}

function candidate(parts: unknown[], finishReason?: string): Record<string, unknown> {
  const entry: Record<string, unknown> = { content: { role: 'model', parts }, index: 0 };
  if (finishReason !== undefined) entry.finishReason = finishReason;
  return entry;
}

/**
 * `POST /v1beta/models/{model}:generateContent`: one candidate (a thought part first when the
 * request asks for thoughts and reasoning tokens were spent), `usageMetadata`, `modelVersion`
 * (the path's model) and `responseId`. `usageJson` replaces the usage; `omitUsage` leaves it out.
 */
export function handleGeminiGenerateContent(context: EndpointContext): void {
  const model = geminiModel(context);
  const usage = generationUsage(context);
  const parts: unknown[] = [];
  const thoughts = thinkingTokens(usage.reasoningTokens);
  if (includesThoughts(context) && thoughts.length > 0)
    parts.push({ text: thoughts.join(''), thought: true });
  parts.push({ text: replyTokens(usage.outputTokens).join('') });
  const body: Record<string, unknown> = {
    candidates: [candidate(parts, usage.truncated ? 'MAX_TOKENS' : 'STOP')],
    modelVersion: model,
    responseId: context.nextId('gemini-'),
  };
  if (!context.faults.omitUsage)
    body.usageMetadata = suppliedUsage(context.usage.usageJson, geminiUsage(usage));
  context.sendJson(body);
}

/**
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`: one chunk per reply token (no
 * usage), then a last chunk with the finish reason and the whole `usageMetadata`, as the real
 * API ends a stream. `earlyUsageJson` adds a chunk with that usage before the first token,
 * `lateUsageJson` one after the last chunk; `dropAfterChunks` cuts the connection after that
 * many token chunks, before the usage.
 */
export async function handleGeminiStreamGenerateContent(context: EndpointContext): Promise<void> {
  const model = geminiModel(context);
  const usage = generationUsage(context);
  const responseId = context.nextId('gemini-');
  const { usageJson, earlyUsageJson, lateUsageJson } = context.usage;
  const raw = (usageJson ?? earlyUsageJson ?? lateUsageJson) !== undefined;
  const chunk = (kind: typeof chunkEvent, parts: unknown[], finishReason?: string, metadata?: unknown) => {
    const data: Record<string, unknown> = { candidates: [candidate(parts, finishReason)] };
    if (metadata !== undefined) data.usageMetadata = metadata;
    data.modelVersion = model;
    data.responseId = responseId;
    return kind(raw ? stringifyJson(data) : data);
  };
  const events: StreamEvent[] = [];
  if (earlyUsageJson !== undefined)
    events.push(chunk(preambleEvent, [{ text: '' }], undefined, suppliedUsage(earlyUsageJson, null)));
  if (includesThoughts(context))
    for (const thought of thinkingTokens(usage.reasoningTokens))
      events.push(chunk(chunkEvent, [{ text: thought, thought: true }]));
  for (const token of replyTokens(usage.outputTokens)) events.push(chunk(chunkEvent, [{ text: token }]));
  const finishReason = usage.truncated ? 'MAX_TOKENS' : 'STOP';
  const metadata = context.faults.omitUsage ? undefined : suppliedUsage(usageJson, geminiUsage(usage));
  events.push(chunk(finalEvent, [{ text: '' }], finishReason, metadata));
  if (lateUsageJson !== undefined)
    events.push(chunk(finalEvent, [{ text: '' }], finishReason, suppliedUsage(lateUsageJson, null)));
  await context.sendStream(events);
}

function includesThoughts(context: EndpointContext): boolean {
  const config = context.body.generationConfig as GenerationConfig | undefined;
  return config?.thinkingConfig?.includeThoughts === true;
}
