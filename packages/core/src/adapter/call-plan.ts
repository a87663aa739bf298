import type { GateRequest, ServiceType } from '../index';
import type { AdapterRuntime } from './adapter-runtime';
import type { AdmittedCall } from './admitted-call';
import type { StreamObserver } from './stream-observer';

/**
 * What the gate needs to know about one call, read from its request. The provider,
 * the context and the clamp mode come from the wrapper's options.
 */
export interface PlannedGate
  extends Omit<GateRequest, 'provider' | 'context' | 'onInsufficientBudget' | 'requestId'> {
  model: string;
  service: ServiceType;
  /**
   * The number of choices the request asks for (`n`): `maxOutputTokens` is then per choice,
   * and without it each choice may use the model's maximum output.
   */
  choices?: number;
}

/** One call of a gated method, planned from its request. */
export interface CallPlan {
  readonly gate: PlannedGate;
  /**
   * The number of choices the request asks for (`n`): the gate's `maxOutputTokens` is then per
   * choice, and without it each choice may use the model's maximum output.
   */
  readonly choices?: number;
  /**
   * The prompt's exact input tokens from the provider's own free counting endpoint (Anthropic's,
   * Gemini's `countTokens`), plus what the adapter holds on top of them (a cache-write premium).
   * Asked before the gate, by the runtime's `promptCounting` (`auto`: only when the local bound
   * would be refused, clamped or capped); the count replaces `gate`'s prompt fields. `signal` aborts
   * when the count times out. A rejection or a timeout leaves the bound.
   */
  countPromptExactly?(signal: AbortSignal): Promise<number>;
  /** Whether `downgrade: true` may send this call to a cheaper model (never for embeddings: other vectors). */
  readonly downgradable?: boolean;
  /** The request to send once admitted, when it is not the caller's as it is (with a downgraded model): a copy with a clamped limit… */
  request?(call: AdmittedCall): unknown;
  /** For a streamed call: what reads its items. The call is settled when the stream ends, fails or is dropped. */
  stream?(call: AdmittedCall): StreamObserver<any>;
  /** For a call with one result: settles from it (a failure goes to `onSettleError`, the caller gets the result). */
  settle?(result: any, call: AdmittedCall): Promise<unknown>;
  /**
   * For an SDK error thrown after the provider answered (a response the SDK could not read,
   * such as Mistral's `ResponseValidationError`): settles the call from what the error holds, as
   * it was billed, and resolves true. False for an error before any answer: the hold is then
   * released. The caller gets the SDK's error either way.
   */
  settleFailure?(error: unknown, call: AdmittedCall): Promise<boolean>;
  /** Settles from a copy of the raw `Response` when the caller takes only that; by default it is read as SSE events, JSON or text. */
  settleRaw?(copy: Response, call: AdmittedCall): Promise<unknown>;
}

/**
 * Plans a call from the caller's request (an object), or returns undefined to let it through
 * untouched. `requestOptions` are the SDK's per-request options; `resource` the SDK object
 * the method belongs to.
 */
export type CallPlanner<Runtime extends AdapterRuntime = AdapterRuntime> = (
  request: any,
  runtime: Runtime,
  requestOptions: unknown,
  resource: object,
) => CallPlan | undefined | Promise<CallPlan | undefined>;
