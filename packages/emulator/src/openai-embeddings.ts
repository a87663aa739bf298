import { embeddingInputs, embeddingVector, encodeEmbeddingBase64 } from './embedding-vectors.js';
import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { countEmbeddingTokens } from './usage-model.js';

function defaultDimensions(model: string): number {
  return model.includes('3-large') ? 3072 : 1536;
}

/**
 * `POST /v1/embeddings`. Vectors are deterministic per input text; `encoding_format:
 * 'base64'` (what the openai SDK requests by default) returns little-endian float32
 * bytes in base64.
 */
export function handleOpenaiEmbeddings(context: EndpointContext): void {
  const model = context.requiredString('model');
  const inputs = embeddingInputs(context.body.input);
  if (inputs.length === 0) throw new EmulatorRequestError(400, "'input' must not be empty.", 'input');
  const dimensions = context.optionalNumber('dimensions') ?? defaultDimensions(model);
  const base64 = context.body.encoding_format === 'base64';
  const promptTokens = context.usage.inputTokens ?? countEmbeddingTokens(context.body.input);
  context.sendJson({
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embeddingVector(input, dimensions);
      return { object: 'embedding', index, embedding: base64 ? encodeEmbeddingBase64(vector) : vector };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
