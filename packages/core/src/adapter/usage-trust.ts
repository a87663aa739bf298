import {
  isEmptyUsage,
  MAX_RAW_USAGE_LENGTH,
  type ResolvedPrice,
  type ServiceType,
  type Usage,
  ValidationError,
} from '../index';
import { UntrustedUsageError } from './untrusted-usage-error';
import { DEFAULT_CONTEXT_BOUND, type UsageLimits } from './usage-block-reader';

/**
 * An adapter's conversion of its provider's usage block (`readUsageBlock` with the provider's
 * field mapping): throws `UntrustedUsageError` for a block it cannot trust.
 */
export type UsageConverter = (block: unknown, limits?: UsageLimits) => Usage;

/** A usage block judged: the usage, when it can be trusted; otherwise why not. */
export type UsageVerdict =
  | { readonly usage: Usage; readonly problem?: undefined }
  | { readonly usage?: undefined; readonly problem: string };

/**
 * The window of a model whose price has long-context tiers (it bills past a threshold: 1M-token
 * betas) when the catalog gives a smaller one.
 */
export const LONG_CONTEXT_WINDOW = 1_000_000;

/** The longest JSON text of a usage block a record keeps for audit (the store contract's). */
export { MAX_RAW_USAGE_LENGTH };

/**
 * The context window a usage block's counts are held to: the catalog's for the model, at least
 * `LONG_CONTEXT_WINDOW` when its price has long-context tiers, `DEFAULT_CONTEXT_BOUND` when the
 * catalog knows none (an unknown model, a fallback price).
 */
export function contextWindowOf(resolved: ResolvedPrice | undefined): number {
  const window = resolved?.contextWindow;
  if (window === undefined) return DEFAULT_CONTEXT_BOUND;
  return resolved !== undefined && resolved.price.tiers.length > 0
    ? Math.max(window, LONG_CONTEXT_WINDOW)
    : window;
}

/** The block converted by the adapter's mapping, or why it cannot be trusted. */
export function judgeUsage(block: unknown, convert: UsageConverter, limits: UsageLimits): UsageVerdict {
  try {
    return { usage: convert(block, limits) };
  } catch (error) {
    return { problem: reasonOf(error) };
  }
}

/**
 * What a well-formed usage cannot say of a call that was sent: that nothing was used, or, for a
 * text generation, that it read no input of a prompt the gate counted, or generated no output
 * while text was received (an SDK that fills a missing count with 0 says that).
 */
export function implausibility(
  usage: Usage,
  call: { readonly service: ServiceType; readonly promptTokens: number; readonly outputReceived?: boolean },
): string | undefined {
  if (isEmptyUsage(usage)) return 'the usage reports nothing used';
  if (call.service !== 'llm') return undefined;
  if (call.promptTokens > 0 && usage.input.total === 0) return 'the usage reports no input tokens';
  if (call.outputReceived === true && usage.output.total === 0)
    return 'the usage reports no output tokens for the output received';
  return undefined;
}

/**
 * The block as JSON text for the record, at most `MAX_RAW_USAGE_LENGTH` characters (a longer one
 * is cut and ends with `…`); numbers JSON cannot write (`Infinity`) are written as strings.
 * Undefined when there was no block.
 */
export function rawUsageText(block: unknown): string | undefined {
  if (block === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(block, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    );
  } catch {
    text = undefined;
  }
  if (text === undefined) return `"${typeof block}"`;
  return text.length <= MAX_RAW_USAGE_LENGTH ? text : `${text.slice(0, MAX_RAW_USAGE_LENGTH - 1)}…`;
}

function reasonOf(error: unknown): string {
  if (UntrustedUsageError.isInstance(error)) return error.reason;
  if (ValidationError.isInstance(error)) return error.message;
  return `the usage could not be read (${error instanceof Error ? error.name : typeof error})`;
}
