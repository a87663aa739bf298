import { createUsage, type Usage } from '@tollgate/core';
import type {
  AdapterRuntime,
  AdmittedCall,
  CallPlan,
  StreamObserver,
  UsageLimits,
} from '@tollgate/core/adapter';
import type { ImageGenerateParams, ImageGenStreamEvent, ImagesResponse } from 'openai/resources/images';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAIImageUsage } from './convert-openai-usage';

type TokenRates = { inputTokens: boolean; outputTokens: boolean };

/** Watches a gpt-image stream: each `image_generation.completed` event is one image with its usage. */
export class OpenAIImageStreamObserver implements StreamObserver<ImageGenStreamEvent> {
  private images = 0;
  private readonly usages: unknown[] = [];

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
      this.usages.push(event.usage);
    }
    return true;
  }

  finish(): Promise<unknown> {
    if (this.images === 0) return this.call.settleFromEstimate();
    const { images, rates } = this;
    return this.call.settleUsage(
      this.usages,
      (usages, limits) => imageUsageOf(images, usages as unknown[], rates, limits),
      'estimate',
      { estimated: images < this.expected },
    );
  }
}

/** The usage of a stream's images: each completed image's usage, under the kit's rule, added up. */
function imageUsageOf(
  images: number,
  usages: readonly unknown[],
  rates: TokenRates,
  limits?: UsageLimits,
): Usage {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const usage of usages) {
    const one = convertOpenAIImageUsage(1, usage, rates, limits);
    inputTokens += one.input.total;
    outputTokens += one.output.total;
  }
  return createUsage({ images, inputTokens, outputTokens, raw: usages });
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
  const model = pricedModelOf(runtime, typeof body.model === 'string' ? body.model : 'dall-e-2');
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
      return call.settleUsage(
        response?.usage,
        (usage, limits) => convertOpenAIImageUsage(images, usage, rates, limits),
        'estimate',
      );
    },
  };
}
