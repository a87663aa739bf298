import type { CallContext } from '../budget/call-context';
import type { Cost } from '../cost/calculate-cost';
import type { NanoUsd } from '../money/money';
import type { UsageRecord } from '../store/store-contract';
import type { ServiceType, Usage } from '../usage';

const NO_TAGS: readonly string[] = Object.freeze([]);

/** The record a store keeps of one call: what it used and cost, never its prompt or response. */
export function usageRecordOf(
  input: {
    provider: string;
    model: string;
    servedModel?: string;
    service: ServiceType | undefined;
    usage: Usage;
    estimated: boolean;
    rawUsage?: string;
    requestId: string;
    context: CallContext;
    reserved: NanoUsd;
    now: number;
  },
  cost: Cost,
  day: string,
): UsageRecord {
  const { usage, context } = input;
  const record: { -readonly [K in keyof UsageRecord]: UsageRecord[K] } = {
    requestId: input.requestId,
    timestamp: input.now,
    day,
    provider: input.provider,
    model: input.model,
    catalogModel: cost.model,
    service: input.service ?? cost.service,
    requestType: context.requestType ?? 'default',
    tags: context.tags ?? NO_TAGS,
    cost: cost.total,
    reserved: input.reserved,
    overrun: input.reserved > 0 ? Math.max(0, cost.total - input.reserved) : 0,
    estimated: input.estimated,
    priceSource: cost.source,
    inputTokens: usage.input.total,
    cacheReadTokens: usage.input.cacheRead,
    cacheWriteTokens: usage.input.cacheWrite,
    outputTokens: usage.output.total,
    reasoningTokens: usage.output.reasoning,
    audioMilliseconds: Math.round(usage.audioSeconds * 1000),
    characters: usage.characters,
    images: usage.images,
    pages: usage.pages,
  };
  if (input.servedModel !== undefined) record.servedModel = input.servedModel;
  if (input.rawUsage !== undefined) record.rawUsage = input.rawUsage;
  if (context.userId !== undefined) record.userId = context.userId;
  if (context.projectId !== undefined) record.projectId = context.projectId;
  return record;
}
