import type { AdapterOptions } from '@tollgate/core/adapter';

/** The options of `wrapOpenAI`: the options every adapter takes (`@tollgate/core/adapter`), and its own. */
export interface WrapOpenAIOptions extends AdapterOptions {
  /**
   * The provider whose prices apply: `openai`, `qwen`, `ollama`, `azure`, `groq`, or any
   * provider the catalog knows. Inferred from the client when absent: `azure` for an
   * `AzureOpenAI` client, else from its `baseURL` (`inferOpenAIProvider`).
   */
  provider?: string;
  /**
   * Azure OpenAI: the model each deployment serves, by deployment name
   * (`{ 'my-gpt4o': 'gpt-4o' }`), so that its calls are gated, priced and recorded as that
   * model. A deployment not listed is priced by its own name. Only for an Azure client.
   */
  deployments?: Readonly<Record<string, string>>;
}
