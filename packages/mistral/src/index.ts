export { type MistralUsageLike, convertMistralUsage } from './convert-mistral-usage';
export { DEFAULT_MISTRAL_OCR_MODEL } from './mistral-ocr-call';
export { DEFAULT_MISTRAL_SPEECH_MODEL } from './mistral-speech-call';
export type { WrapMistralOptions } from './mistral-wrap-options';
export { wrapMistral } from './wrap-mistral';
