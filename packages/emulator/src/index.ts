export { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
export { EMULATOR_HEADERS } from './emulator-headers.js';
export type { ErrorFault, FaultSettings, StallFault } from './fault-injection.js';
export type { Provider } from './provider.js';
export type { HeldResponses } from './response-hold.js';
export type { RecordedRequest } from './request-log.js';
export {
  AUDIO_BYTES_PER_SECOND,
  AUDIO_TOKENS_PER_SECOND,
  CHARACTERS_PER_TOKEN,
  countPromptTokens,
  countTextTokens,
  type PromptParts,
  SPEECH_CHARACTERS_PER_SECOND,
  TOKENS_PER_MESSAGE,
  TRANSCRIPT_TOKENS_PER_SECOND,
  type UsageSettings,
} from './usage-model.js';
