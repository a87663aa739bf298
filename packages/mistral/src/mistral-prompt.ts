/** What the gate needs to estimate a prompt: its texts and the tokens no text accounts for. */
export interface MistralPrompt {
  readonly texts: string[];
  readonly overheadTokens: number;
}

// Control tokens around each message ([INST], [/INST], role markers) and the request.
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 3;
// A 1024×1024 image in 16×16-pixel patches plus one break token per row.
const TOKENS_PER_IMAGE = 4_160;

export function chatPrompt(request: {
  messages?: unknown;
  tools?: unknown;
  responseFormat?: unknown;
  prediction?: unknown;
}): MistralPrompt {
  const texts: string[] = [];
  let overheadTokens = TOKENS_PER_REQUEST;
  const messages = Array.isArray(request.messages) ? request.messages : [];
  for (const message of messages) {
    overheadTokens += TOKENS_PER_MESSAGE;
    if (!isRecord(message)) continue;
    const collected = collectText(message.content);
    overheadTokens += collected.images * TOKENS_PER_IMAGE;
    texts.push(...collected.texts);
    if (typeof message.name === 'string') texts.push(message.name);
    if (Array.isArray(message.toolCalls)) texts.push(...message.toolCalls.map(toolCallText));
  }
  const tools = jsonText(request.tools);
  if (tools) texts.push(tools);
  // A Zod schema (chat.parse) is converted by the SDK; only a plain JSON format is counted here.
  if (
    isRecord(request.responseFormat) &&
    !('_zod' in request.responseFormat) &&
    !('_def' in request.responseFormat)
  ) {
    const format = jsonText(request.responseFormat);
    if (format) texts.push(format);
  }
  if (isRecord(request.prediction) && typeof request.prediction.content === 'string')
    texts.push(request.prediction.content);
  return { texts, overheadTokens };
}

export function fimPrompt(request: { prompt?: unknown; suffix?: unknown }): MistralPrompt {
  const texts = [request.prompt, request.suffix].filter((text): text is string => typeof text === 'string');
  return { texts, overheadTokens: TOKENS_PER_REQUEST };
}

/** The generated text carried by one streamed completion chunk: content, thinking and tool-call arguments. */
export function completionChunkText(data: unknown): string {
  if (!isRecord(data) || !Array.isArray(data.choices)) return '';
  let text = '';
  for (const choice of data.choices) {
    if (!isRecord(choice) || !isRecord(choice.delta)) continue;
    text += collectText(choice.delta.content).texts.join('');
    if (Array.isArray(choice.delta.toolCalls)) text += choice.delta.toolCalls.map(toolCallText).join('');
  }
  return text;
}

/** The generated text of a non-streamed completion response, for when it reports no usage. */
export function completionResponseText(response: unknown): string {
  if (!isRecord(response) || !Array.isArray(response.choices)) return '';
  let text = '';
  for (const choice of response.choices) {
    if (!isRecord(choice) || !isRecord(choice.message)) continue;
    text += collectText(choice.message.content).texts.join('');
    if (Array.isArray(choice.message.toolCalls)) text += choice.message.toolCalls.map(toolCallText).join('');
  }
  return text;
}

function collectText(content: unknown): { texts: string[]; images: number } {
  const texts: string[] = [];
  let images = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      texts.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (isRecord(value)) {
      if (value.type === 'image_url') images += 1;
      else if (typeof value.text === 'string') texts.push(value.text);
      else if (value.type === 'thinking') visit(value.thinking);
    }
  };
  visit(content);
  return { texts, images };
}

function toolCallText(call: unknown): string {
  if (!isRecord(call) || !isRecord(call.function)) return '';
  const name = typeof call.function.name === 'string' ? call.function.name : '';
  const { arguments: args } = call.function;
  return name + (typeof args === 'string' ? args : (jsonText(args) ?? ''));
}

function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
