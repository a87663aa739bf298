import { embeddingInputs, embeddingVector, encodeEmbeddingBase64 } from './embedding-vectors.js';
import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { countEmbeddingTokens } from './usage-model.js';

const DEFAULT_DIMENSIONS = 1024;

/** `POST /v1/embeddings` for Mistral: deterministic vectors, usage with `completion_tokens: 0`. */
export function handleMistralEmbeddings(context: EndpointContext): void {
  const model = context.requiredString('model');
  const inputs = embeddingInputs(context.body.input);
  if (inputs.length === 0) throw new EmulatorRequestError(400, "'input' must not be empty.", 'input');
  const dimensions = context.optionalNumber('output_dimension') ?? DEFAULT_DIMENSIONS;
  const base64 = context.body.encoding_format === 'base64';
  const promptTokens = context.usage.inputTokens ?? countEmbeddingTokens(context.body.input);
  context.sendJson({
    id: context.nextId('embd-'),
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embeddingVector(input, dimensions);
      return { object: 'embedding', embedding: base64 ? encodeEmbeddingBase64(vector) : vector, index };
    }),
    model,
    usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens },
  });
}
