export {
  convertOpenAIChatUsage,
  convertOpenAIEmbeddingUsage,
  convertOpenAIImageUsage,
  convertOpenAIResponsesUsage,
  convertOpenAISpeechUsage,
  convertOpenAITranscriptionUsage,
  type OpenAIChatUsageFields,
  type OpenAIImageUsageFields,
  type OpenAIResponsesUsageFields,
  type OpenAITranscriptionUsageFields,
} from './convert-openai-usage';
export { inferOpenAIProvider } from './infer-openai-provider';
export { wrapOpenAI } from './wrap-openai';
export type { WrapOpenAIOptions } from './wrap-openai-options';
