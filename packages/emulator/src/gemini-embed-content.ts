import { embeddingVector } from './embedding-vectors.js';
import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { geminiModel } from './gemini-prompt-tokens.js';
import { countTextTokens, extractText, suppliedUsage } from './usage-model.js';

const DEFAULT_DIMENSIONS = 768;

interface EmbedRequest {
  content?: { parts?: unknown };
  outputDimensionality?: unknown;
}

function embedding(request: EmbedRequest): { values: number[]; tokens: number } {
  const text = extractText(request.content?.parts);
  const dimensions =
    typeof request.outputDimensionality === 'number' ? request.outputDimensionality : DEFAULT_DIMENSIONS;
  return { values: embeddingVector(text, dimensions), tokens: countTextTokens(text) };
}

function usageMetadata(context: EndpointContext, computedTokens: number): unknown {
  if (context.faults.omitUsage) return undefined;
  const tokens = context.usage.inputTokens ?? computedTokens;
  return suppliedUsage(context.usage.usageJson, { promptTokenCount: tokens, totalTokenCount: tokens });
}

/** `POST /v1beta/models/{model}:embedContent`: one deterministic vector, with `usageMetadata`. */
export function handleGeminiEmbedContent(context: EndpointContext): void {
  geminiModel(context);
  const { values, tokens } = embedding(context.body as EmbedRequest);
  context.sendJson({ embedding: { values }, usageMetadata: usageMetadata(context, tokens) });
}

/**
 * `POST /v1beta/models/{model}:batchEmbedContents` (what `models.embedContent` sends to the
 * Developer API): one vector per request, with `usageMetadata` for the batch.
 */
export function handleGeminiBatchEmbedContents(context: EndpointContext): void {
  geminiModel(context);
  const requests = context.body.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw new EmulatorRequestError(
      400,
      '* BatchEmbedContentsRequest.requests: must not be empty',
      'requests',
    );
  let tokens = 0;
  const embeddings = requests.map((request: EmbedRequest) => {
    const result = embedding(request);
    tokens += result.tokens;
    return { values: result.values };
  });
  context.sendJson({ embeddings, usageMetadata: usageMetadata(context, tokens) });
}
