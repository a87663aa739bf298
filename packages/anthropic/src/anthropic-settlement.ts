import {
  type Admission,
  type BudgetManager,
  createUsage,
  type SettledCall,
  type Usage,
} from '@tollgate/core';
import type { StreamSettlement } from './anthropic-stream-usage';
import { type AnthropicUsageFields, convertAnthropicUsage } from './convert-anthropic-usage';

const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ID_LENGTH = 256;

/**
 * The id when core's `validateId` accepts it; an odd id from a proxy in front of the API
 * falls back to the admission's own id instead of failing a call that was already billed.
 */
function usableId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) return undefined;
  if (value.startsWith('$') || RESERVED_IDS.has(value)) return undefined;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return undefined;
  }
  return value;
}

/**
 * Settles admitted calls. The record's id is the message id (`msg_…`), so that a result
 * read twice (a batch's results, a retried read) is charged once.
 */
export class AnthropicSettlement {
  constructor(
    readonly admission: Admission,
    private readonly budget: BudgetManager,
    private readonly provider: string,
  ) {}

  /** A complete, non-streamed message: its reported usage. */
  message(
    message: { id?: unknown; model?: unknown; usage?: AnthropicUsageFields | null } | null | undefined,
  ): Promise<SettledCall> {
    if (!message?.usage) return this.withoutUsage({ requestId: message?.id, model: message?.model });
    return this.settle(convertAnthropicUsage(message.usage), false, message.id, message.model);
  }

  stream(settlement: StreamSettlement): Promise<SettledCall> {
    return this.settle(settlement.usage, settlement.estimated, settlement.requestId, settlement.model);
  }

  /** A response that was billed but whose usage is unreadable: the prompt estimate, no output, marked estimated. */
  withoutUsage(identity: { requestId?: unknown; model?: unknown } = {}): Promise<SettledCall> {
    const usage = createUsage({ inputTokens: this.admission.estimate.likelyInputTokens });
    return this.settle(usage, true, identity.requestId, identity.model);
  }

  release(): Promise<void> {
    return this.admission.release();
  }

  private settle(
    usage: Usage,
    estimated: boolean,
    responseId: unknown,
    servedModel: unknown,
  ): Promise<SettledCall> {
    const requestId = usableId(responseId);
    const model = this.modelFor(servedModel);
    return this.admission.settle({
      usage,
      ...(estimated ? { estimated: true } : {}),
      ...(requestId === undefined ? {} : { requestId }),
      ...(model === undefined ? {} : { model }),
    });
  }

  /** The served model (a dated id) when the catalog prices it, so an unknown alias never falls back to a generic price. */
  private modelFor(servedModel: unknown): string | undefined {
    const model = usableId(servedModel);
    if (model === undefined || model === this.admission.estimate.model) return undefined;
    try {
      return this.budget.catalog.resolve(this.provider, model) ? model : undefined;
    } catch {
      return undefined;
    }
  }
}
