import { type Admission, type BudgetManager, countTokens, type GateRequest } from '@tollgate/core';
import { cacheWritePremium } from './anthropic-cache-write-premium';
import { estimateAnthropicPrompt } from './anthropic-prompt-estimate';
import { callContextFor, type ResolvedAnthropicOptions } from './anthropic-wrapper-options';

/** The budget and options one wrapped client works with. */
export interface AnthropicRuntime {
  readonly budget: BudgetManager;
  readonly options: ResolvedAnthropicOptions;
}

/** A resource with the free token-counting endpoint (`messages`, `beta.messages`). */
export interface TokenCountingResource {
  countTokens(
    params: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): PromiseLike<{ input_tokens: number }>;
}

export interface AdmittedCall {
  readonly admission: Admission;
  /** The request to send: the caller's, or a copy with a downgraded model or clamped `max_tokens`. */
  readonly params: Record<string, unknown>;
}

/** The smallest thinking budget the API accepts; `max_tokens` must stay above it. */
const MIN_THINKING_BUDGET_TOKENS = 1_024;

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
 * Gates one Messages request: picks a cheaper model when `downgrade` is on and the
 * strategy asks for one, counts the prompt, reserves the worst case and, when the
 * gate clamped the call, shrinks `max_tokens` (and a thinking budget that would no
 * longer fit under it).
 */
export async function admitAnthropicCall(
  runtime: AnthropicRuntime,
  resource: TokenCountingResource,
  params: Record<string, unknown>,
  requestOptions: Record<string, unknown> | undefined,
): Promise<AdmittedCall> {
  const { budget, options } = runtime;
  const context = callContextFor(options);
  let model = params.model as string;
  // A copy of core from before downgrades has no `downgradeFor`: the model is then kept.
  if (options.downgrade && typeof model === 'string' && typeof budget.downgradeFor === 'function') {
    const choice = await budget.downgradeFor({
      provider: options.provider,
      service: 'llm',
      model,
      ...(context === undefined ? {} : { context }),
    });
    if (choice && typeof choice.model === 'string' && choice.model !== model) model = choice.model;
  }
  const thinkingBudget = thinkingBudgetOf(params);
  const minOutputTokens =
    thinkingBudget === undefined
      ? options.minOutputTokens
      : Math.max(options.minOutputTokens ?? 0, MIN_THINKING_BUDGET_TOKENS + 1);
  const request: GateRequest = {
    provider: options.provider,
    model,
    service: 'llm',
    ...(typeof params.max_tokens === 'number' ? { maxOutputTokens: params.max_tokens } : {}),
    ...(context === undefined ? {} : { context }),
    onInsufficientBudget: options.onInsufficientBudget,
    ...(minOutputTokens === undefined ? {} : { minOutputTokens }),
    ...(await promptCount(runtime, resource, { ...params, model }, requestOptions)),
  };
  const admission = await budget.gate(request);

  let sent = model === params.model ? params : { ...params, model };
  const clampedTo = admission.maxOutputTokens;
  if (clampedTo !== undefined && typeof params.max_tokens === 'number' && clampedTo < params.max_tokens) {
    sent = { ...sent, max_tokens: clampedTo };
    if (thinkingBudget !== undefined && thinkingBudget >= clampedTo) {
      sent.thinking = {
        ...(params.thinking as object),
        budget_tokens: Math.max(MIN_THINKING_BUDGET_TOKENS, clampedTo - 1),
      };
    }
  }
  return { admission, params: sent };
}

function thinkingBudgetOf(params: Record<string, unknown>): number | undefined {
  const thinking = params.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  return thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number'
    ? thinking.budget_tokens
    : undefined;
}

/** The prompt part of the gate request: an exact count from the API when asked and available, else a local one. */
async function promptCount(
  runtime: AnthropicRuntime,
  resource: TokenCountingResource,
  params: Record<string, unknown>,
  requestOptions: Record<string, unknown> | undefined,
): Promise<Pick<GateRequest, 'inputTokens' | 'text' | 'overheadTokens'>> {
  const premium = cacheWritePremium(params);
  if (runtime.options.estimateWith === 'countTokens' && typeof resource.countTokens === 'function') {
    const counted = await countWithApi(resource, params, requestOptions);
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
    const result = await resource.countTokens(body, options);
    const tokens = result?.input_tokens;
    return typeof tokens === 'number' && Number.isSafeInteger(tokens) && tokens >= 0 ? tokens : undefined;
  } catch {
    // The count is an optimisation: any failure (rate limit, network, an unknown field) falls back to the local count.
    return undefined;
  }
}
