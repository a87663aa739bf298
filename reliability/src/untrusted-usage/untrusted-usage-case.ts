import { countTokens } from '@tollgate/core';
import { EMULATOR_HEADERS } from '@tollgate/emulator';
import fc from 'fast-check';
import { CORPUS, type CorpusPrompt, type PromptProvider } from '../streams/corpus-prompts';
import {
  type Malformation,
  type MalformedUsage,
  malformedUsage,
  wellFormedCounts,
  wellFormedUsage,
} from './malformed-usage';
import {
  ANTHROPIC_DELTA_USAGE,
  ANTHROPIC_START_USAGE,
  ANTHROPIC_USAGE,
  MISTRAL_USAGE,
  OPENAI_CHAT_USAGE,
  OPENAI_RESPONSES_USAGE,
  type UsageShape,
  type WellFormedCounts,
} from './usage-shapes';

/** The methods under test, by adapter, with the model called and the shape of its usage. */
export const TARGETS = {
  'openai chat.completions.create': { provider: 'openai', model: 'gpt-4o-mini', shape: OPENAI_CHAT_USAGE },
  'openai responses.create': { provider: 'openai', model: 'gpt-4o-mini', shape: OPENAI_RESPONSES_USAGE },
  'anthropic messages.create': { provider: 'anthropic', model: 'claude-haiku-4-5', shape: ANTHROPIC_USAGE },
  'mistral chat.complete / chat.stream': {
    provider: 'mistral',
    model: 'mistral-small-latest',
    shape: MISTRAL_USAGE,
  },
} as const satisfies Record<string, { provider: PromptProvider; model: string; shape: UsageShape }>;
export type Target = keyof typeof TARGETS;

/**
 * What is wrong with a stream's usage:
 * - `malformed-final`: its final usage is a malformed block;
 * - `early-only`: a usage came before the content, none after it;
 * - `goes-down`: a usage before the content reports more than the final one;
 * - `early-malformed`: a malformed usage before the content, a well-formed final one;
 * - `late-malformed`: a well-formed final usage, then a malformed one;
 * - `late-lower`: a well-formed final usage, then one that reports less (Anthropic: a
 *   `message_delta` whose cumulative count goes down);
 * - `start-malformed`: Anthropic's `message_start` usage is malformed.
 */
export const STREAM_FAULTS = [
  'malformed-final',
  'early-only',
  'goes-down',
  'early-malformed',
  'late-malformed',
  'late-lower',
  'start-malformed',
] as const;
export type StreamFault = (typeof STREAM_FAULTS)[number];

const FAULTS_OF: Record<Target, readonly StreamFault[]> = {
  'openai chat.completions.create': STREAM_FAULTS.filter((fault) => fault !== 'start-malformed'),
  'openai responses.create': ['malformed-final'],
  'anthropic messages.create': STREAM_FAULTS,
  'mistral chat.complete / chat.stream': STREAM_FAULTS.filter((fault) => fault !== 'start-malformed'),
};

export interface UntrustedUsageCase {
  readonly target: Target;
  readonly stream: boolean;
  /** `json` for a JSON response; otherwise what is wrong with the stream's usage. */
  readonly fault: 'json' | StreamFault;
  readonly prompt: CorpusPrompt;
  readonly maxTokens: number;
  /** OpenAI chat streams: the caller asked for the usage chunk itself (else the wrapper hides it). */
  readonly callerAsksUsage: boolean;
  /** The emulator headers that make the response. */
  readonly headers: Readonly<Record<string, string>>;
  readonly malformations: readonly Malformation[];
  /**
   * Whether the rule must rebuild the record. Not for a late usage after a well-formed final one
   * where the adapter settles at the final one (OpenAI ends the stream there), or where the SDK
   * itself rejects the late chunk (Mistral: the stream fails, the final usage stands).
   */
  readonly mustRebuild: boolean;
}

/** The prompt's tokens as core counts them locally (the gate's count, without message framing). */
export function localPromptTokens(prompt: CorpusPrompt, provider: string, model: string): number {
  const texts = prompt.system === undefined ? prompt.turns : [prompt.system, ...prompt.turns];
  return texts.reduce((sum, text) => sum + countTokens(text.text, provider, model).tokens, 0);
}

/** Prompts of one or two corpus texts (prose, code, other languages, adversarial text). */
const prompt: fc.Arbitrary<CorpusPrompt> = fc
  .record({
    system: fc.option(fc.constantFrom(...CORPUS), { nil: undefined, freq: 3 }),
    turns: fc.array(fc.constantFrom(...CORPUS), { minLength: 1, maxLength: 2 }),
  })
  .map(({ system, turns }) => (system === undefined ? { turns } : { system, turns }));

/**
 * A malformed block for where the fault puts it. The final usage (and a JSON response's) may
 * have anything wrong with it. A usage before or after the final one (or Anthropic's
 * `message_start`) is not the call's usage: that it reports nothing used or no input is no
 * fault there, nor, for Mistral, a missing count (the SDK fills it with 0), nor a `null` where
 * it means that no usage came with the item. Anthropic's `message_delta` may leave its input
 * side out.
 */
function malformedAt(
  target: Target,
  fault: 'json' | StreamFault,
  window: number,
  counts: fc.Arbitrary<WellFormedCounts>,
): fc.Arbitrary<MalformedUsage> {
  const { provider, shape } = TARGETS[target];
  const streamed = fault !== 'json';
  const inDelta = provider === 'anthropic' && streamed && fault !== 'start-malformed';
  const positioned =
    provider === 'anthropic'
      ? inDelta
        ? ANTHROPIC_DELTA_USAGE
        : fault === 'start-malformed'
          ? ANTHROPIC_START_USAGE
          : shape
      : shape;
  const final = fault === 'json' || fault === 'malformed-final';
  const excluded: Malformation[] = final ? [] : ['nothing-used', 'no-input'];
  if (!final && provider === 'mistral') excluded.push('missing');
  const malformed = malformedUsage(positioned, window, counts, excluded);
  // There, `null` says no usage came with the item (OpenAI's and Mistral's chunks, Anthropic's message_start).
  const nullIsAbsent = !final && (provider !== 'anthropic' || fault === 'start-malformed');
  return nullIsAbsent ? malformed.filter((usage) => usage.text !== 'null') : malformed;
}

/** Pairs of well-formed counts, the first reporting more output than the second. */
function higherThenLower(counts: fc.Arbitrary<WellFormedCounts>) {
  return fc
    .tuple(counts, fc.integer({ min: 1, max: 500 }))
    .map(([lower, more]) => [{ ...lower, output: lower.output + more }, lower] as const);
}

/**
 * One call whose usage cannot be trusted, for a target: a JSON response with a malformed usage
 * block, or a stream whose usage is malformed, early, repeated or going down. `window` is the
 * model's context window as the rule holds it (a larger count is malformed).
 */
export function untrustedUsageCase(target: Target, window: number): fc.Arbitrary<UntrustedUsageCase> {
  const { provider, model, shape } = TARGETS[target];
  return fc
    .record({
      prompt,
      maxTokens: fc.integer({ min: 2, max: 200 }),
      stream: fc.boolean(),
      fault: fc.constantFrom(...FAULTS_OF[target]),
      callerAsksUsage: fc.boolean(),
      seed: fc.integer(),
    })
    .chain(({ prompt, maxTokens, stream, fault, callerAsksUsage, seed }) => {
      const counts = wellFormedCounts(localPromptTokens(prompt, provider, model), maxTokens);
      const streamFault: 'json' | StreamFault = stream ? fault : 'json';
      return fc
        .record({
          malformed: malformedAt(target, streamFault, window, counts),
          valid: counts,
          pair: higherThenLower(counts),
        })
        .map(({ malformed, valid, pair }) => {
          // What the emulator computes itself (Anthropic's message_start) counts the prompt as core does.
          const headers: Record<string, string> = {
            [EMULATOR_HEADERS.inputTokens]: String(localPromptTokens(prompt, provider, model)),
          };
          const well = (each: WellFormedCounts) => wellFormedUsage(shape, each);
          let malformations: readonly Malformation[] = malformed.kinds;
          switch (streamFault) {
            case 'json':
            case 'malformed-final':
              headers[EMULATOR_HEADERS.usageJson] = malformed.text;
              break;
            case 'early-only':
              headers[EMULATOR_HEADERS.earlyUsageJson] = seed % 2 === 0 ? well(valid) : malformed.text;
              headers[EMULATOR_HEADERS.omitUsage] = 'true';
              if (seed % 2 === 0) malformations = [];
              break;
            case 'goes-down':
              headers[EMULATOR_HEADERS.earlyUsageJson] = well(pair[0]);
              headers[EMULATOR_HEADERS.usageJson] = well(pair[1]);
              malformations = [];
              break;
            case 'early-malformed':
              headers[EMULATOR_HEADERS.earlyUsageJson] = malformed.text;
              headers[EMULATOR_HEADERS.usageJson] = well(valid);
              break;
            case 'late-malformed':
              headers[EMULATOR_HEADERS.usageJson] = well(valid);
              headers[EMULATOR_HEADERS.lateUsageJson] = malformed.text;
              break;
            case 'late-lower':
              headers[EMULATOR_HEADERS.usageJson] = well(pair[0]);
              headers[EMULATOR_HEADERS.lateUsageJson] = well(pair[1]);
              malformations = [];
              break;
            case 'start-malformed':
              headers[EMULATOR_HEADERS.startUsageJson] = malformed.text;
              break;
          }
          const mustRebuild =
            streamFault === 'late-lower'
              ? provider !== 'openai'
              : streamFault === 'late-malformed'
                ? provider === 'anthropic'
                : true;
          return {
            target,
            stream,
            fault: streamFault,
            prompt,
            maxTokens,
            callerAsksUsage,
            headers,
            malformations,
            mustRebuild,
          };
        });
    });
}
