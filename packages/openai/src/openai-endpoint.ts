import type { Admission, BudgetManager, GateRequest, ServiceType } from '@tollgate/core';
import type { OpenAICallAccounting } from './openai-call-accounting';
import type { WrapOpenAIOptions } from './wrap-openai-options';

/** What every gated method shares: the budget, the provider and the wrapper's options. */
export interface OpenAIWrapState {
  readonly budget: BudgetManager;
  readonly provider: string;
  readonly options: WrapOpenAIOptions;
  reportError(error: unknown): void;
}

/** What the gate needs to know about a call; provider, context and the clamp mode are added by the wrapper. */
export type EndpointGateRequest = Omit<
  GateRequest,
  'provider' | 'context' | 'onInsufficientBudget' | 'minOutputTokens' | 'requestId'
> & {
  model: string;
  service: ServiceType;
};

/** One call of a gated method, planned from its request body. */
export interface OpenAIEndpointCall {
  readonly gate: EndpointGateRequest;
  /** Whether `downgrade: true` may move this call to a cheaper model. */
  readonly downgradable?: boolean;
  /** The body to send once admitted: the caller's, with a clamp or `include_usage` applied. */
  bodyFor(admission: Admission): unknown;
  /** Settles from the parsed result; returns what the caller receives (an observed stream for streams). */
  finish(result: unknown, accounting: OpenAICallAccounting): Promise<unknown>;
  /** Settles from the raw response when the caller took only `.asResponse()`; the response is a copy. */
  finishRaw?(response: Response, accounting: OpenAICallAccounting): Promise<void>;
}

/**
 * Plans a call from the caller's body, or returns undefined to let it through
 * untouched (an image model the catalog has no price for).
 */
export type OpenAIEndpoint = (
  body: any,
  state: OpenAIWrapState,
) => OpenAIEndpointCall | undefined | Promise<OpenAIEndpointCall | undefined>;
