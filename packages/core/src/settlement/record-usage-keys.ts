import { optionKeys } from '../errors/reject-unknown-keys';
import type { RecordUsageInput } from './record-usage';

/** Every field of `recordUsage`'s input, so an unknown one (a typo) is refused. */
export const RECORD_USAGE_INPUT_KEYS = optionKeys<RecordUsageInput>({
  provider: true,
  model: true,
  servedModel: true,
  service: true,
  usage: true,
  requestId: true,
  context: true,
  estimated: true,
  timestamp: true,
});
