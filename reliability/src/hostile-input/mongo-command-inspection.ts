import type { CommandStartedEvent } from 'mongodb';
// The store's own operators, listed beside its code.
import { MONGO_STORE_OPERATORS } from '../../../packages/mongodb/src/testing/store-operators';

/** The driver's own envelope fields, at the top of a command. */
const ENVELOPE_OPERATORS: ReadonlySet<string> = new Set(['$db', '$readPreference', '$clusterTime']);

/** The one dotted path the store filters on (a reservation's hold inside a counter). */
const DOTTED_KEYS: ReadonlySet<string> = new Set(['holds.id']);

/** Top-level driver bookkeeping and index definitions: no caller value can be in them. */
const SKIPPED_SUBTREES: ReadonlySet<string> = new Set([
  'lsid',
  '$clusterTime',
  '$readPreference',
  'writeConcern',
  'readConcern',
  'ids',
  'indexes',
  'sort',
  'hint',
]);

/** Fields that hold an id: a string, or one of the store's operators over strings; never a caller's object. */
const STRING_FIELDS: ReadonlySet<string> = new Set([
  '_id',
  'id',
  'budgetId',
  'scope',
  'period',
  'day',
  'provider',
  'model',
  'servedModel',
  'catalogModel',
  'service',
  'requestType',
  'userId',
  'projectId',
  'requestId',
  'priceSource',
  'holds.id',
]);

export interface Inspection {
  commands: number;
  readonly violations: string[];
}

export function inspection(): Inspection {
  return { commands: 0, violations: [] };
}

/**
 * Walks one command document. A violation: a `$` key that is not the store's own (or the
 * driver's envelope), a dotted key other than `holds.id`, an id field holding anything but
 * a string (or the store's operators over strings), tags that are not strings, a
 * legitimately supplied value used as a key, and any hostile string anywhere.
 */
export function inspect(
  event: CommandStartedEvent,
  supplied: ReadonlySet<string>,
  hostile: ReadonlySet<string>,
  into: Inspection,
): void {
  into.commands += 1;
  const report = (path: string, problem: string) => {
    if (into.violations.length < 20) into.violations.push(`${event.commandName} ${path}: ${problem}`);
  };
  const walk = (value: unknown, path: string, depth: number) => {
    if (typeof value === 'string') {
      if (hostile.has(value)) report(path, `carries the hostile value ${JSON.stringify(value.slice(0, 40))}`);
      return;
    }
    if (value === null || typeof value !== 'object' || isBsonValue(value)) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`, depth);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      if (depth === 0 && SKIPPED_SUBTREES.has(key)) continue;
      if (
        key.startsWith('$') &&
        !MONGO_STORE_OPERATORS.has(key) &&
        !(depth === 0 && ENVELOPE_OPERATORS.has(key))
      )
        report(childPath, 'an operator the store does not use');
      if (key.includes('.') && !DOTTED_KEYS.has(key)) report(childPath, 'a dotted key');
      if (supplied.has(key)) report(childPath, 'a supplied value used as a key');
      if (hostile.has(key)) report(childPath, 'a hostile value used as a key');
      if (STRING_FIELDS.has(key) && !isIdValue(child)) report(childPath, `an id that is ${describe(child)}`);
      if (key === 'tags' && !isTags(child)) report(childPath, `tags that are ${describe(child)}`);
      walk(child, childPath, depth + 1);
    }
  };
  walk(event.command, '', 0);
}

/**
 * A string; or `{ $in | $gt | $gte | $lte | $ne: string or strings }` as the store writes its
 * filters (`$gt` starts a page after a request id or a scope), or `{ $exists: boolean }`.
 */
function isIdValue(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isBsonValue(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(
      ([operator, operand]) =>
        (operator === '$exists' && typeof operand === 'boolean') ||
        (['$in', '$gt', '$gte', '$lte', '$ne'].includes(operator) &&
          (typeof operand === 'string' ||
            (Array.isArray(operand) && operand.every((item) => typeof item === 'string')))),
    )
  );
}

function isTags(value: unknown): boolean {
  return Array.isArray(value) && value.every((tag) => typeof tag === 'string');
}

/** Int64, ObjectId, Binary, Timestamp…: leaves, not documents a caller could shape. */
function isBsonValue(value: object): boolean {
  return '_bsontype' in value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object ${JSON.stringify(value).slice(0, 60)}` : typeof value;
}
