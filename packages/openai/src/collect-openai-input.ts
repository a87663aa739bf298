/** What the gate counts for a prompt: its texts (tokenized by core) and tokens it cannot see as text. */
export interface OpenAIInput {
  text: string[];
  overheadTokens: number;
}

// Published image input costs of the gpt-4o family: 85 tokens at `detail: 'low'`,
// 765 for a 1024x1024 image at high detail (the default, `auto`, mostly picks high).
const IMAGE_TOKENS_LOW_DETAIL = 85;
const IMAGE_TOKENS = 765;
// Audio input is about 10 tokens a second; base64 WAV at 16 kHz, 16-bit mono is 32 KB a second.
const AUDIO_BYTES_PER_TOKEN = 3_200;
// Chat framing: a few tokens per message and for priming the reply.
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REPLY = 3;

/** Keys whose values are prompt text somewhere in a chat message or a Responses input item. */
const TEXT_KEYS = [
  'text',
  'content',
  'arguments',
  'output',
  'input',
  'name',
  'refusal',
  'function',
  'tool_calls',
  'summary',
  'function_call',
];
const MAX_DEPTH = 12;

/**
 * Collects the prompt text of chat messages or Responses input items: message text,
 * names, tool-call arguments, tool outputs. Images and audio add their typical token
 * cost; URLs, base64 data and ids are never counted as text.
 */
export function collectInputText(value: unknown, into: OpenAIInput, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === 'string') {
    if (value.length > 0) into.text.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectInputText(item, into, depth + 1);
    return;
  }
  if (typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case 'image_url':
    case 'input_image': {
      const detail = (record.image_url as { detail?: unknown } | undefined)?.detail ?? record.detail;
      into.overheadTokens += detail === 'low' ? IMAGE_TOKENS_LOW_DETAIL : IMAGE_TOKENS;
      return;
    }
    case 'input_audio': {
      const data = (record.input_audio as { data?: unknown } | undefined)?.data;
      if (typeof data === 'string')
        into.overheadTokens += Math.ceil((data.length * 0.75) / AUDIO_BYTES_PER_TOKEN);
      return;
    }
    case 'file':
    case 'input_file':
      return;
  }
  for (const key of TEXT_KEYS) {
    if (key in record) collectInputText(record[key], into, depth + 1);
  }
}

/** Definitions the model reads as part of the prompt (tools, JSON schemas), counted as their JSON text. */
export function collectDefinitions(value: unknown, into: OpenAIInput): void {
  if (value === undefined || value === null) return;
  try {
    const json = JSON.stringify(value);
    if (json && json !== '[]' && json !== '{}') into.text.push(json);
  } catch {
    // A definition that cannot be serialized would fail in the SDK as well.
  }
}
