export { BATCH_MODEL_SUFFIX, BATCH_PRICE_FACTOR, batchModelId } from './anthropic-batch-price';
export type { WrapAnthropicOptions } from './anthropic-wrapper-options';
export {
  type AnthropicCacheCreation,
  type AnthropicIterationUsage,
  type AnthropicUsageFields,
  convertAnthropicUsage,
} from './convert-anthropic-usage';
export { type AnthropicClientLike, wrapAnthropic } from './wrap-anthropic';
