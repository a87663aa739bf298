export { aiSdkProviderId, UNKNOWN_AI_SDK_PROVIDER } from './ai-sdk-provider-id';
export type { TollgateMiddlewareOptions } from './ai-sdk-runtimes';
export { type AiSdkUsage, convertAiSdkEmbeddingUsage, convertAiSdkUsage } from './convert-ai-sdk-usage';
export { tollgateEmbeddingMiddleware } from './tollgate-embedding-middleware';
export { tollgateMiddleware } from './tollgate-middleware';
