/** Where a count sits in a usage block: a field, or a field of a details object. */
export type CountPath = readonly [string] | readonly [string, string];

/** Counts for a well-formed block. */
export interface WellFormedCounts {
  /** Uncached input tokens. */
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  /** Part of the output. */
  readonly reasoning: number;
}

/** A provider's usage block: its counts, which of them the rule requires, which are parts of which. */
export interface UsageShape {
  readonly counts: readonly CountPath[];
  readonly required: readonly CountPath[];
  /** The details objects. */
  readonly details: readonly string[];
  /** A part and the total it must not exceed. */
  readonly parts: readonly { readonly part: CountPath; readonly total: CountPath }[];
  /** The counts that make up the input (all 0: the usage reports no input). */
  readonly inputCounts: readonly CountPath[];
  wellFormed(counts: WellFormedCounts): Record<string, unknown>;
}

/** OpenAI chat completions: `prompt_tokens` includes the cached tokens. */
export const OPENAI_CHAT_USAGE: UsageShape = {
  counts: [
    ['prompt_tokens'],
    ['completion_tokens'],
    ['total_tokens'],
    ['prompt_tokens_details', 'cached_tokens'],
    ['prompt_tokens_details', 'audio_tokens'],
    ['completion_tokens_details', 'reasoning_tokens'],
    ['completion_tokens_details', 'audio_tokens'],
  ],
  required: [['prompt_tokens'], ['completion_tokens']],
  details: ['prompt_tokens_details', 'completion_tokens_details'],
  parts: [
    { part: ['prompt_tokens_details', 'cached_tokens'], total: ['prompt_tokens'] },
    { part: ['completion_tokens_details', 'reasoning_tokens'], total: ['completion_tokens'] },
  ],
  inputCounts: [['prompt_tokens'], ['prompt_tokens_details', 'cached_tokens']],
  wellFormed: ({ input, cached, output, reasoning }) => ({
    prompt_tokens: input + cached,
    completion_tokens: output,
    total_tokens: input + cached + output,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0 },
  }),
};

/** OpenAI responses: `input_tokens` includes the cached tokens. */
export const OPENAI_RESPONSES_USAGE: UsageShape = {
  counts: [
    ['input_tokens'],
    ['output_tokens'],
    ['total_tokens'],
    ['input_tokens_details', 'cached_tokens'],
    ['output_tokens_details', 'reasoning_tokens'],
  ],
  required: [['input_tokens'], ['output_tokens']],
  details: ['input_tokens_details', 'output_tokens_details'],
  parts: [
    { part: ['input_tokens_details', 'cached_tokens'], total: ['input_tokens'] },
    { part: ['output_tokens_details', 'reasoning_tokens'], total: ['output_tokens'] },
  ],
  inputCounts: [['input_tokens'], ['input_tokens_details', 'cached_tokens']],
  wellFormed: ({ input, cached, output, reasoning }) => ({
    input_tokens: input + cached,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + cached + output,
  }),
};

/** Anthropic messages: `input_tokens` excludes cache reads and writes. */
export const ANTHROPIC_USAGE: UsageShape = {
  counts: [
    ['input_tokens'],
    ['output_tokens'],
    ['cache_read_input_tokens'],
    ['cache_creation_input_tokens'],
    ['cache_creation', 'ephemeral_5m_input_tokens'],
    ['cache_creation', 'ephemeral_1h_input_tokens'],
    ['output_tokens_details', 'thinking_tokens'],
  ],
  required: [['input_tokens'], ['output_tokens']],
  details: ['cache_creation', 'output_tokens_details'],
  parts: [
    { part: ['cache_creation', 'ephemeral_5m_input_tokens'], total: ['cache_creation_input_tokens'] },
    { part: ['output_tokens_details', 'thinking_tokens'], total: ['output_tokens'] },
  ],
  inputCounts: [['input_tokens'], ['cache_read_input_tokens'], ['cache_creation_input_tokens']],
  wellFormed: ({ input, cached, output, reasoning }) => ({
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { thinking_tokens: reasoning },
    service_tier: 'standard',
  }),
};

/** Mistral chat: `prompt_tokens` includes the cached tokens. */
export const MISTRAL_USAGE: UsageShape = {
  counts: [
    ['prompt_tokens'],
    ['completion_tokens'],
    ['total_tokens'],
    ['prompt_tokens_details', 'cached_tokens'],
    ['completion_tokens_details', 'reasoning_tokens'],
  ],
  required: [['prompt_tokens'], ['completion_tokens']],
  details: ['prompt_tokens_details', 'completion_tokens_details'],
  parts: [
    { part: ['prompt_tokens_details', 'cached_tokens'], total: ['prompt_tokens'] },
    { part: ['completion_tokens_details', 'reasoning_tokens'], total: ['completion_tokens'] },
  ],
  inputCounts: [['prompt_tokens'], ['prompt_tokens_details', 'cached_tokens']],
  wellFormed: ({ input, cached, output, reasoning }) => ({
    prompt_tokens: input + cached,
    completion_tokens: output,
    total_tokens: input + cached + output,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  }),
};

/**
 * Anthropic's `message_delta` usage: cumulative, its output always reported, its input side
 * (absent or null) kept from `message_start`.
 */
export const ANTHROPIC_DELTA_USAGE: UsageShape = { ...ANTHROPIC_USAGE, required: [['output_tokens']] };

/** Anthropic's `message_start` usage: the input side; its output (and the details of it) is a placeholder. */
export const ANTHROPIC_START_USAGE: UsageShape = {
  ...ANTHROPIC_USAGE,
  counts: ANTHROPIC_USAGE.counts.filter((path) => path[0] !== 'output_tokens_details'),
  details: ['cache_creation'],
  parts: ANTHROPIC_USAGE.parts.filter(({ part }) => part[0] !== 'output_tokens_details'),
};
