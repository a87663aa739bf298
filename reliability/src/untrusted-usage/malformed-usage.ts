import fc from 'fast-check';
import { jsonText, RawNumber } from './json-text';
import type { CountPath, UsageShape, WellFormedCounts } from './usage-shapes';

/** What makes a generated block untrustworthy under the rule. */
export const MALFORMATIONS = [
  'not-a-number',
  'negative',
  'fractional',
  'not-finite',
  'beyond-window',
  'missing',
  'inconsistent',
  'details-not-object',
  'not-an-object',
  'nothing-used',
  'no-input',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

/** A usage block as JSON text, and what was done to it. */
export interface MalformedUsage {
  readonly text: string;
  readonly kinds: readonly Malformation[];
}

type Block = Record<string, unknown>;

interface Mutation {
  readonly kind: Malformation;
  /** The block changed, or another value in its place. */
  apply(block: unknown): unknown;
}

function isBlock(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function read(block: Block, path: CountPath): unknown {
  if (path.length === 1) return block[path[0]];
  const details = block[path[0]];
  return isBlock(details) ? details[path[1]] : undefined;
}

function write(block: Block, path: CountPath, value: unknown): void {
  if (path.length === 1) {
    block[path[0]] = value;
    return;
  }
  const details = block[path[0]];
  block[path[0]] = { ...(isBlock(details) ? details : {}), [path[1]]: value };
}

/** A deep copy of plain objects and arrays; `RawNumber`s and other values are kept as they are. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (isBlock(value) && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyOf(item)])) as T;
  return value;
}

/** Changes a copy of the block; any other value is left as it is. */
function onBlock(change: (block: Block) => void): (value: unknown) => unknown {
  return (value) => {
    if (!isBlock(value)) return value;
    const copy = copyOf(value);
    change(copy);
    return copy;
  };
}

const notANumber = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }).map(String),
  fc.constantFrom('abc', '', 'NaN', 'Infinity', 'null'),
  fc.boolean(),
  fc.constantFrom<unknown>({}, { tokens: 5 }, [1, 2, 3], []),
);

/** A value no count may hold, with the kind of malformation it is. */
function badCount(window: number): fc.Arbitrary<[Malformation, unknown]> {
  return fc.oneof(
    notANumber.map((value): [Malformation, unknown] => ['not-a-number', value]),
    fc.integer({ min: -1_000_000_000, max: -1 }).map((value): [Malformation, unknown] => ['negative', value]),
    fc
      .tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0.5, 0.25, 0.999))
      .map(([whole, part]): [Malformation, unknown] => ['fractional', whole + part]),
    fc
      .constantFrom(new RawNumber('1e400'), new RawNumber('-1e400'))
      .map((value): [Malformation, unknown] => ['not-finite', value]),
    fc
      .oneof(
        fc.integer({ min: window + 1, max: Math.min(window * 10, 1e12) }),
        fc.constantFrom<unknown>(new RawNumber('1e300'), 2 ** 53 + 2),
      )
      .map((value): [Malformation, unknown] => ['beyond-window', value]),
  );
}

function mutation(shape: UsageShape, window: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...shape.counts), badCount(window)).map(
        ([path, [kind, value]]): Mutation => ({
          kind,
          apply: onBlock((block) => write(block, path, value)),
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...shape.required), fc.boolean()).map(
        ([path, asNull]): Mutation => ({
          kind: 'missing',
          apply: onBlock((block) => {
            if (asNull) write(block, path, null);
            else delete block[path[0]];
          }),
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...shape.parts), fc.integer({ min: 1, max: 10_000 })).map(
        ([{ part, total }, excess]): Mutation => ({
          kind: 'inconsistent',
          apply: onBlock((block) => {
            const reported = read(block, total);
            const whole =
              typeof reported === 'number' && Number.isSafeInteger(reported) && reported >= 0 ? reported : 0;
            write(block, total, whole);
            write(block, part, whole + excess);
          }),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...shape.details), fc.constantFrom<unknown>('x', 5, [1], true)).map(
        ([field, value]): Mutation => ({
          kind: 'details-not-object',
          apply: onBlock((block) => void (block[field] = value)),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>([1, 2, 3], [], 'usage', 42, true, null)
        .map((value): Mutation => ({ kind: 'not-an-object', apply: () => value })),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Mutation>({
        kind: 'nothing-used',
        apply: onBlock((block) => {
          for (const path of shape.counts)
            if (read(block, path) !== undefined || path.length === 1) write(block, path, 0);
        }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constant<Mutation>({
        kind: 'no-input',
        apply: onBlock((block) => {
          for (const path of shape.inputCounts) write(block, path, 0);
        }),
      }),
    },
  );
}

/** Counts of a well-formed block whose input is at least `inputTokens`, within `maxOutput`. */
export function wellFormedCounts(inputTokens: number, maxOutput: number): fc.Arbitrary<WellFormedCounts> {
  return fc
    .record({
      extra: fc.integer({ min: 0, max: 50 }),
      cached: fc.integer({ min: 0, max: 2_000 }),
      output: fc.integer({ min: 1, max: Math.max(1, maxOutput) }),
      reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ extra, cached, output, reasoningShare }) => ({
      input: inputTokens + extra,
      cached,
      output,
      reasoning: Math.floor(output * reasoningShare),
    }));
}

/** A well-formed block as JSON text. */
export function wellFormedUsage(shape: UsageShape, counts: WellFormedCounts): string {
  return jsonText(shape.wellFormed(counts));
}

/**
 * A block the rule does not trust: a well-formed one with one to three malformations, each
 * enough on its own (a count that is not a whole, finite, non-negative number within the
 * model's context window, a required count missing, a part above its total, details that are
 * not an object, no object at all, nothing used, no input), less the `excluded` kinds.
 */
export function malformedUsage(
  shape: UsageShape,
  window: number,
  counts: fc.Arbitrary<WellFormedCounts>,
  excluded: readonly Malformation[] = [],
): fc.Arbitrary<MalformedUsage> {
  const mutations = mutation(shape, window).filter((each) => !excluded.includes(each.kind));
  return fc.tuple(counts, fc.array(mutations, { minLength: 1, maxLength: 3 })).map(([base, mutations]) => {
    let block: unknown = shape.wellFormed(base);
    for (const each of mutations) block = each.apply(block);
    return { text: jsonText(block), kinds: mutations.map((each) => each.kind) };
  });
}
