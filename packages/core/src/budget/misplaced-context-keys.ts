import type { MisplacedKeys } from '../errors/reject-unknown-keys';
import { CALL_CONTEXT_KEYS } from './call-context';

/** A context field (`userId`, `requestType`…) given beside a request's own fields instead of in its `context`. */
export const MISPLACED_CONTEXT_KEYS: MisplacedKeys = {
  keys: CALL_CONTEXT_KEYS,
  where: 'goes in `context` (or budget.withContext())',
};
