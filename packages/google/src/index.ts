export { convertGoogleUsage, type GoogleUsageMetadata } from './convert-google-usage';
export { MEDIA_PART_TOKENS } from './google-prompt';
export type { WrapGoogleGenAIOptions } from './google-wrapper-options';
export { type GoogleGenAIClientLike, wrapGoogleGenAI } from './wrap-google-genai';
