import type { AdapterRuntime, AdmittedCall, CallPlan } from '@tollgate/core/adapter';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAIEmbeddingUsage } from './convert-openai-usage';

/** The texts of an embeddings input, and the tokens given directly as token arrays. */
export function embeddingInputOf(input: EmbeddingCreateParams['input'] | unknown): {
  text: string[];
  tokens: number;
} {
  const text: string[] = [];
  let tokens = 0;
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') text.push(value);
    else if (typeof value === 'number') tokens += 1;
    else if (Array.isArray(value) && depth < 2) for (const item of value) visit(item, depth + 1);
  };
  visit(input, 0);
  return { text, tokens };
}

/** `embeddings.create`: input tokens only. The response has no id: the record takes the admission's. */
export function planEmbeddings(body: EmbeddingCreateParams, runtime: AdapterRuntime): CallPlan {
  const input = embeddingInputOf(body.input);
  return {
    gate: {
      model: pricedModelOf(runtime, body.model),
      service: 'embedding',
      text: input.text,
      overheadTokens: input.tokens,
    },
    settle(response: CreateEmbeddingResponse | undefined, call: AdmittedCall) {
      return call.settleUsage(response?.usage, convertOpenAIEmbeddingUsage, 'estimate', {
        servedModel: response?.model,
      });
    },
  };
}
