import type { AdapterRuntime, AdmittedCall, CallPlan, StreamObserver } from '@tollgate/core/adapter';
import type { ImageGenerateParams, ImageGenStreamEvent, ImagesResponse } from 'openai/resources/images';
import { convertOpenAIImageUsage, type OpenAIImageUsageFields } from './convert-openai-usage';

type TokenRates = { inputTokens: boolean; outputTokens: boolean };

/** Watches a gpt-image stream: each `image_generation.completed` event is one image with its usage. */
export class OpenAIImageStreamObserver implements StreamObserver<ImageGenStreamEvent> {
  private images = 0;
  private inputTokens = 0;
  private outputTokens = 0;

  constructor(
    private readonly call: AdmittedCall,
    private readonly rates: TokenRates,
    private readonly expected: number,
  ) {}

  get ended(): boolean {
    return this.images >= this.expected;
  }

  observe(event: ImageGenStreamEvent): boolean {
    if (event.type === 'image_generation.completed') {
      this.images += 1;
      this.inputTokens += event.usage?.input_tokens ?? 0;
      this.outputTokens += event.usage?.output_tokens ?? 0;
    }
    return true;
  }

  finish(): Promise<unknown> {
    if (this.images === 0) return this.call.settleFromEstimate();
    const usage = { input_tokens: this.inputTokens, output_tokens: this.outputTokens };
    return this.call.settle(convertOpenAIImageUsage(this.images, usage, this.rates), {
      estimated: this.images < this.expected,
    });
  }
}

/**
 * `images.generate`, for the models the catalog prices (dall-e-2, dall-e-3 per image,
 * gpt-image-1 per image plus text input tokens); any other model passes through
 * untouched. The response has no id: the record takes the admission's.
 */
export function planImageGeneration(
  body: ImageGenerateParams,
  runtime: AdapterRuntime,
): CallPlan | undefined {
  const model = typeof body.model === 'string' ? body.model : 'dall-e-2';
  const resolved = runtime.budget.catalog.resolve(runtime.options.provider, model);
  if (resolved?.service !== 'image') return undefined;
  const count = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 0 ? body.n : 1;
  const rates: TokenRates = {
    inputTokens: resolved.price.rates.input !== undefined,
    outputTokens: resolved.price.rates.output !== undefined,
  };
  return {
    gate: {
      model,
      service: 'image',
      images: count,
      text: typeof body.prompt === 'string' ? body.prompt : '',
    },
    stream: (call) => new OpenAIImageStreamObserver(call, rates, count),
    settle(response: ImagesResponse | undefined, call: AdmittedCall) {
      const images = Array.isArray(response?.data) ? response.data.length : count;
      const usage = response?.usage as OpenAIImageUsageFields | undefined;
      return call.settle(convertOpenAIImageUsage(images, usage, rates));
    },
  };
}
