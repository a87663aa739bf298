import fc from 'fast-check';

/**
 * What an attacker (or a confused caller) can put where tollgate expects an id, a
 * count, an object or a function. Every value here must be refused in the position
 * its kind names; values that are legitimate there (a user id with a dot, a `$`
 * inside an id) are deliberately left out and exercised by the legitimate-value checks.
 */
export type HostileKind =
  /** A value id (user, project, provider, model, request id): a dot is legitimate. */
  | 'id'
  /** A name used as a key (budget id, scope, request type, tag): a dot is not. */
  | 'key'
  /** A whole, non-negative count (tokens, milliseconds, pages). */
  | 'count'
  /** A whole count that must be at least 1. */
  | 'positive-count'
  /** A non-negative amount that may be fractional (USD, seconds, percent). */
  | 'quantity'
  /** A plain object (options, a context, a usage). */
  | 'object'
  /** An array (budgets, tags, price aliases). */
  | 'array'
  /** A callback. */
  | 'function'
  /** A string from a fixed set (period, service, strategy). */
  | 'choice'
  /** A flag. */
  | 'boolean'
  /** A `Date`. */
  | 'date'
  /** A day written YYYY-MM-DD, or a Date. */
  | 'day'
  /** An IANA time zone name. */
  | 'time-zone';

export const MAX_ID_LENGTH = 256;
const TEN_MEGABYTES = 10 * 1024 * 1024;
let tenMegabyteString: string | undefined;

/** One shared 10 MB string: generating a fresh one per run would only measure the allocator. */
function hugeString(): string {
  tenMegabyteString ??= 'a'.repeat(TEN_MEGABYTES);
  return tenMegabyteString;
}

const json = fc.jsonValue({ maxDepth: 2 });

const operatorObjects: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ $gt: '' }),
  fc.constant({ $ne: null }),
  fc.constant({ $where: 'function () { sleep(10000); return true; }' }),
  fc.constant({ $expr: { $gt: ['$committed', 0] } }),
  fc.constant({ $regex: '.*' }),
  fc.constant({ $in: ['app', 'default'] }),
  fc.constant({ $exists: true }),
  fc
    .tuple(fc.constantFrom('$gt', '$gte', '$lt', '$ne', '$nin', '$or', '$set', '$inc', '$unset'), json)
    .map(([operator, operand]) => ({ [operator]: operand })),
  fc.dictionary(
    fc.string({ maxLength: 12 }).map((name) => `$${name}`),
    json,
    { minKeys: 1, maxKeys: 3 },
  ),
);

const dottedKeyObjects = fc.dictionary(
  fc.oneof(
    fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([a, b]) => `${a}.${b}`),
    fc.constantFrom('holds.id', 'a.$gt', 'committed.0', '$.x'),
  ),
  json,
  { minKeys: 1, maxKeys: 3 },
);

const prototypeObjects: fc.Arbitrary<object> = fc.oneof(
  fc.constant(JSON.parse('{"__proto__": {"polluted": true, "userId": "admin"}}')),
  fc.constant(JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')),
  fc.constant({ prototype: { polluted: true } }),
  fc.constant(Object.assign(Object.create(null), { $gt: '' })),
);

const hostileObjects: fc.Arbitrary<unknown> = fc.oneof(operatorObjects, dottedKeyObjects, prototypeObjects);

const symbols = fc.string({ maxLength: 8 }).map((description) => Symbol(description));
const functions = fc.constantFrom<unknown>(() => 'gpt-4o', { valueOf: () => 0 }.valueOf, class Probe {});

const numbers = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -0.5, 0.5, 1e308),
  fc.double({ noNaN: false }),
  fc.integer(),
);

/** Neither strings nor plain objects: what a typed API never expects in a string field. */
const nonStrings: fc.Arbitrary<unknown> = fc.oneof(
  numbers,
  fc.constant(null),
  fc.boolean(),
  fc.bigInt(),
  symbols,
  functions,
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.constant(['$gt']),
  fc.date({ noInvalidDate: false }),
  fc.string({ maxLength: 8 }).map((text) => new String(text)),
  hostileObjects,
);

const controlCharacters = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: 0, max: 0x1f }).chain((code) => fc.constantFrom(code, 0x7f)),
    fc.string({ maxLength: 8 }),
  )
  .map(([before, code, after]) => `${before}${String.fromCharCode(code)}${after}`);

const tooLong = fc.oneof(
  fc.integer({ min: MAX_ID_LENGTH + 1, max: 4096 }).map((length) => 'u'.repeat(length)),
  fc.constant(null).map(() => hugeString()),
);

/** Strings no id may be, dotted or not. */
const hostileIdStrings: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(''),
  fc.constantFrom('$gt', '$ne', '$where', '$expr', '$in', '$', '$set'),
  fc.string({ maxLength: 20 }).map((rest) => `$${rest}`),
  fc.constantFrom('__proto__', 'constructor', 'prototype'),
  controlCharacters,
  tooLong,
);

const dotted = fc
  .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
  .map(([before, after]) => `${before}.${after}`);

const hostileCounts: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).filter((value) => !Number.isInteger(value)),
  fc.constantFrom(2 ** 60, 1e300, Number.MAX_VALUE),
  fc.constantFrom<unknown>('10', '0', '$gt', '', '1e3'),
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: 0n, max: 10n ** 6n }),
  symbols,
  functions,
  fc.constant([10]),
  fc.integer({ min: 0, max: 100 }).map((value) => new Number(value)),
  hostileObjects,
);

const hostileQuantities: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: -1e9, max: -Number.MIN_VALUE, noNaN: true }),
  fc.constantFrom(1e300, Number.MAX_VALUE),
  fc.constantFrom<unknown>('1', '0.5', '$gt', ''),
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: 0n, max: 10n }),
  symbols,
  functions,
  fc.constant([1]),
  hostileObjects,
);

/** Things that are not plain objects. Objects with operator keys are plain objects: their keys are checked where they are read. */
const hostileNonObjects: fc.Arbitrary<unknown> = fc.oneof(
  numbers,
  fc.constant(null),
  fc.boolean(),
  fc.bigInt(),
  symbols,
  fc.string({ maxLength: 12 }),
  fc.constantFrom('$gt', '{"$gt": ""}', '__proto__'),
  fc.array(json, { maxLength: 3 }),
  fc.constant([{ $gt: '' }]),
  functions,
);

const hostileArrays: fc.Arbitrary<unknown> = fc.oneof(
  numbers,
  fc.constant(null),
  fc.boolean(),
  symbols,
  fc.string({ maxLength: 12 }),
  functions,
  hostileObjects,
  fc.constant({ length: 1, 0: { id: 'app', limitUsd: 1 } }),
);

const hostileFunctions: fc.Arbitrary<unknown> = fc.oneof(
  numbers,
  fc.constant(null),
  fc.boolean(),
  symbols,
  fc.string({ maxLength: 12 }),
  fc.constantFrom('$where', 'function () { return true; }'),
  fc.array(json, { maxLength: 2 }),
  hostileObjects,
);

const hostileChoices: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '$gt',
    '',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    ' llm',
    'LLM',
    'month ',
  ),
  fc.string({ maxLength: 12 }).map((text) => `$${text}`),
  tooLong,
  nonStrings,
);

const hostileBooleans: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('true', 'false', 1, 0, '', '$gt', null, Number.NaN),
  symbols,
  functions,
  hostileObjects,
);

const hostileDates: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(new Date(Number.NaN)),
  fc.constantFrom<unknown>('2026-11-29', 1_764_417_600_000, '$gt', null, Number.NaN),
  symbols,
  functions,
  hostileObjects,
);

const hostileDays: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('2026-02-30', '2026-13-01', '2026-1-1', '26-11-29', '2026-11-29T00:00:00Z', ''),
  fc.constantFrom<unknown>('$gt', '{"$gt":""}', '__proto__', '2026-11-29 ', ' 2026-11-29'),
  fc.constant(new Date(Number.NaN)),
  tooLong,
  numbers,
  fc.constant(null),
  symbols,
  functions,
  hostileObjects,
);

const hostileTimeZones: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('', '$gt', 'Mars/Olympus_Mons', '__proto__', 'UTC+25', 'Europe/Paris\u0000'),
  tooLong,
  nonStrings,
);

export function hostileValues(kind: HostileKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'id':
      return fc.oneof(hostileIdStrings, nonStrings);
    case 'key':
      return fc.oneof(hostileIdStrings, dotted, nonStrings);
    case 'count':
      return hostileCounts;
    case 'positive-count':
      return fc.oneof(hostileCounts, fc.constant(0));
    case 'quantity':
      return hostileQuantities;
    case 'object':
      return hostileNonObjects;
    case 'array':
      return hostileArrays;
    case 'function':
      return hostileFunctions;
    case 'choice':
      return hostileChoices;
    case 'boolean':
      return hostileBooleans;
    case 'date':
      return hostileDates;
    case 'day':
      return hostileDays;
    case 'time-zone':
      return hostileTimeZones;
  }
}

/** A short, printable description of a generated value, for failure messages (never the 10 MB string). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `string(${value.length})` : JSON.stringify(value);
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
