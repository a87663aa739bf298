import { optionKeys } from '../errors/reject-unknown-keys';
import type { EstimateRequest } from './estimate-cost';

/** Every field of an estimate request, so an unknown one (a typo) is refused. */
export const ESTIMATE_REQUEST_KEYS = optionKeys<EstimateRequest>({
  provider: true,
  model: true,
  service: true,
  inputTokens: true,
  text: true,
  overheadTokens: true,
  maxOutputTokens: true,
  audioSeconds: true,
  audioBytes: true,
  assumedAudioKbps: true,
  characters: true,
  images: true,
  pages: true,
  at: true,
});
