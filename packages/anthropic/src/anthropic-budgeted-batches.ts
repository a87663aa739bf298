import { type Admission, countTokens, createUsage, type Usage } from '@tollgate/core';
import {
  apiPromiseAfter,
  callContext,
  contextWindowOf,
  judgeUsage,
  rawUsageText,
  type MethodWrapper,
  type ResourcePlan,
  responsePropsOf,
  type SdkPromise,
  type SdkPromiseKind,
  type SentRequest,
} from '@tollgate/core/adapter';
import { batchModelId } from './anthropic-batch-price';
import { estimateAnthropicPrompt } from './anthropic-prompt-estimate';
import type { AnthropicRuntime } from './anthropic-wrapper-options';
import { messageOutputText } from './anthropic-message-plan';
import { convertAnthropicUsage } from './convert-anthropic-usage';

interface BatchMessage {
  id: string;
  model: string;
  usage?: unknown;
  content?: unknown;
}

interface BatchResult {
  custom_id?: unknown;
  result?: { type?: unknown; message?: Partial<BatchMessage> | null } | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `messages.batches` (stable and beta) under the budget:
 * - `create` checks that the batch's worst case fits now, at batch prices, reserving
 *   it request by request, and gives the hold back once the batch is accepted: a batch
 *   runs for up to 24 hours, far longer than a reservation's lease;
 * - `results` records every succeeded request as it is read, at batch prices, under its
 *   message id, so that reading the results again charges nothing twice. Errored,
 *   canceled and expired requests are not billed and are not recorded.
 */
export function batchesPlan(runtime: AnthropicRuntime, sdk: SdkPromiseKind): ResourcePlan {
  const create: MethodWrapper = (original, resource) => (params: unknown, options?: unknown) =>
    apiPromiseAfter(
      sdk,
      sendBatch(runtime, params, () => original.call(resource, params, options)),
    );
  const results: MethodWrapper =
    (original, resource) =>
    async (...args: unknown[]) =>
      recordResults(await original.apply(resource, args), runtime);
  return { methods: { create, results } };
}

async function sendBatch(
  runtime: AnthropicRuntime,
  params: unknown,
  send: () => SdkPromise,
): Promise<SentRequest> {
  const admissions = await admitBatch(runtime, params);
  try {
    const inner = send();
    return { inner, props: await responsePropsOf(inner) };
  } finally {
    await Promise.all(admissions.map((admission) => admission.release()));
  }
}

async function admitBatch(runtime: AnthropicRuntime, params: unknown): Promise<Admission[]> {
  const requests = isRecord(params) && Array.isArray(params.requests) ? params.requests : [];
  const { budget, options } = runtime;
  const context = callContext(runtime);
  const admissions: Admission[] = [];
  try {
    for (const request of requests) {
      const body = isRecord(request) && isRecord(request.params) ? request.params : undefined;
      if (!body || typeof body.model !== 'string') continue;
      const { texts, overheadTokens } = estimateAnthropicPrompt(body);
      admissions.push(
        await budget.gate({
          provider: options.provider,
          model: batchModelId(budget.catalog, options.provider, body.model),
          service: 'llm',
          text: texts,
          overheadTokens,
          ...(typeof body.max_tokens === 'number' ? { maxOutputTokens: body.max_tokens } : {}),
          ...(context === undefined ? {} : { context }),
          onInsufficientBudget: 'throw',
        }),
      );
    }
  } catch (error) {
    await Promise.all(admissions.map((admission) => admission.release()));
    throw error;
  }
  return admissions;
}

/** The SDK's results decoder, the same object, whose iteration records each succeeded result before handing it over. */
function recordResults<T extends object>(decoder: T, runtime: AnthropicRuntime): T {
  const iterate = (source: AsyncIterable<unknown>): AsyncIterator<unknown> => {
    const iterator = source[Symbol.asyncIterator]();
    return {
      async next() {
        const step = await iterator.next();
        if (!step.done) await recordResult(step.value as BatchResult, runtime);
        return step;
      },
      async return(value?: unknown) {
        if (iterator.return) return iterator.return(value);
        return { done: true, value: undefined };
      },
    };
  };
  return new Proxy(decoder, {
    get(target, property, receiver) {
      if (property === Symbol.asyncIterator) return () => iterate(target as AsyncIterable<unknown>);
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * Records one succeeded result. A recording that fails never costs the caller the result: it
 * goes to `onSettleError`.
 */
async function recordResult(item: BatchResult, runtime: AnthropicRuntime): Promise<void> {
  const message = item?.result?.type === 'succeeded' ? item.result.message : undefined;
  if (!message || typeof message.model !== 'string' || typeof message.id !== 'string') return;
  const { budget, options } = runtime;
  const context = callContext(runtime);
  try {
    const { usage, estimated } = batchUsageOf(message as BatchMessage, runtime);
    await budget.recordUsage({
      provider: options.provider,
      model: batchModelId(budget.catalog, options.provider, message.model),
      service: 'llm',
      usage,
      estimated,
      requestId: message.id,
      ...(context === undefined ? {} : { context }),
    });
  } catch (error) {
    options.onSettleError(error);
  }
}

/**
 * A result's usage under the kit's rule; one that cannot be trusted is its output counted
 * locally, estimated (the batch's prompts are not kept once it is submitted), and the budget
 * is warned.
 */
function batchUsageOf(
  message: BatchMessage,
  runtime: AnthropicRuntime,
): { usage: Usage; estimated: boolean } {
  const { provider } = runtime.options;
  const limits = { contextWindow: contextWindowOf(runtime.budget.catalog.resolve(provider, message.model)) };
  const verdict = judgeUsage(message.usage, convertAnthropicUsage, limits);
  if (verdict.usage !== undefined) return { usage: verdict.usage, estimated: false };
  const counted = countTokens(messageOutputText(message), provider, message.model).tokens;
  runtime.budget.warnings?.warn(
    'TOLLGATE_UNTRUSTED_USAGE',
    `${provider}/${message.model}`,
    `${provider} ${message.model} batch result: ${verdict.problem}; recorded from its output counted locally, marked estimated (usage: ${rawUsageText(message.usage)})`,
  );
  return { usage: createUsage({ outputTokens: Math.max(1, counted) }), estimated: true };
}
