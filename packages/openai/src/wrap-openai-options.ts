import type { AdapterOptions } from '@tollgate/core/adapter';

/** The options of `wrapOpenAI`: the options every adapter takes (`@tollgate/core/adapter`). */
export interface WrapOpenAIOptions extends AdapterOptions {
  /**
   * The provider whose prices apply: `openai`, `qwen`, `ollama` or any provider the
   * catalog knows. Inferred from the client's `baseURL` when absent.
   */
  provider?: string;
}
