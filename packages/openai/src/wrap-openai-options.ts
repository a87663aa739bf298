import type { CallContext } from '@tollgate/core';

export interface WrapOpenAIOptions {
  /**
   * The provider whose prices apply: `openai`, `qwen`, `ollama` or any provider the
   * catalog knows. Inferred from the client's `baseURL` when absent.
   */
  provider?: string;
  /** The report dimension for every call of this client ('chat', 'summarize'…). */
  requestType?: string;
  /** Context for every call of this client; `budget.withContext()` values win over it. */
  context?: CallContext;
  /** When the worst case does not fit: refuse (`throw`, the default) or shrink the output limit (`clamp`). */
  onInsufficientBudget?: 'clamp' | 'throw';
  /** Move chat and responses calls to the cheaper model the budget's cost strategy picks (`budget.downgradeFor`). */
  downgrade?: boolean;
  /** The smallest output limit a clamp may leave; below it the call is refused. Default: the budget's. */
  minOutputTokens?: number;
  /**
   * Called with an error from a settlement that no caller can receive (a stream
   * abandoned while the budget store is down). Default: a process warning.
   */
  onSettleError?: (error: unknown) => void;
}
