import type { Stream } from 'openai/core/streaming';
import type { ImageGenerateParams, ImageGenStreamEvent, ImagesResponse } from 'openai/resources/images';
import { convertOpenAIImageUsage, type OpenAIImageUsageFields } from './convert-openai-usage';
import { observeStream, type OpenAIStreamObserver } from './openai-budgeted-stream';
import type { OpenAICallAccounting } from './openai-call-accounting';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';

type TokenRates = { inputTokens: boolean; outputTokens: boolean };

/** Watches a gpt-image stream: each `image_generation.completed` event is one image with its usage. */
export class OpenAIImageStreamObserver implements OpenAIStreamObserver<ImageGenStreamEvent> {
  private images = 0;
  private inputTokens = 0;
  private outputTokens = 0;

  constructor(
    private readonly accounting: OpenAICallAccounting,
    private readonly rates: TokenRates,
    private readonly expected: number,
  ) {}

  get complete(): boolean {
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
    if (this.images === 0) return this.accounting.settleFromEstimate(true);
    const usage = { input_tokens: this.inputTokens, output_tokens: this.outputTokens };
    return this.accounting.settle(convertOpenAIImageUsage(this.images, usage, this.rates), {
      estimated: this.images < this.expected,
    });
  }
}

/**
 * `images.generate`, for the models the catalog prices (dall-e-2, dall-e-3 per image,
 * gpt-image-1 per image plus text input tokens); any other model passes through
 * untouched. The response has no id: the record takes the admission's.
 */
export const imagesEndpoint: OpenAIEndpoint = (body: ImageGenerateParams, state: OpenAIWrapState) => {
  const model = typeof body.model === 'string' ? body.model : 'dall-e-2';
  const resolved = state.budget.catalog.resolve(state.provider, model);
  if (resolved?.service !== 'image') return undefined;
  const count = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 0 ? body.n : 1;
  const rates: TokenRates = {
    inputTokens: resolved.price.rates.input !== undefined,
    outputTokens: resolved.price.rates.output !== undefined,
  };
  const streaming = (body as { stream?: unknown }).stream === true;
  return {
    gate: {
      model,
      service: 'image',
      images: count,
      text: typeof body.prompt === 'string' ? body.prompt : '',
    },
    bodyFor: () => body,
    async finish(result: unknown, accounting: OpenAICallAccounting) {
      if (streaming) {
        return observeStream(
          result as Stream<ImageGenStreamEvent>,
          new OpenAIImageStreamObserver(accounting, rates, count),
          state.reportError,
        );
      }
      const response = result as ImagesResponse;
      const images = Array.isArray(response?.data) ? response.data.length : count;
      await accounting.settle(
        convertOpenAIImageUsage(images, response?.usage as OpenAIImageUsageFields | undefined, rates),
      );
      return result;
    },
  };
};
