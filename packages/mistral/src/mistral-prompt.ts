import { type TemplateJson, templateJsonOfText, templateJsonOfValue } from './mistral-template-json';

/** What the gate needs to estimate a prompt: its texts and the tokens no text accounts for. */
export interface MistralPrompt {
  readonly texts: string[];
  readonly overheadTokens: number;
}

// The chat template's control tokens, per mistral-common's Tekken templates v3 (Nemo, Ministral,
// Pixtral 12B), v7 (Mistral Small 3, Pixtral Large), v11 (Magistral, Devstral) and v13 (Mistral
// Medium 3, Small 3.2 and later), taking the most any of them spends on each part:
// <s> once; [INST] … [/INST] around a user message; [SYSTEM_PROMPT] … [/SYSTEM_PROMPT] around a
// system message (v3 joins it to the last user message with "\n\n" instead); </s> after an
// assistant message; [THINK] … [/THINK] around its thinking; [TOOL_CALLS] name [CALL_ID] id
// [ARGS] per tool call (v11; v3 writes the calls as one JSON list, which is what is counted);
// [TOOL_RESULTS] id [TOOL_CONTENT] … [/TOOL_RESULTS] around a tool result (v7; v3 writes it as
// JSON with the call id, which is what is counted); [AVAILABLE_TOOLS] … [/AVAILABLE_TOOLS].
// One token more wherever two texts the template joins are counted apart: a merge across the
// join could cost one more than the two counts. `mistral-prompt-framing.test.ts` checks these
// against mistral-common's counts.
const TOKENS_PER_REQUEST = 1;
const TOKENS_PER_USER_MESSAGE = 2;
const TOKENS_PER_SYSTEM_MESSAGE = 2 + 1;
const TOKENS_PER_ASSISTANT_MESSAGE = 1;
const TOKENS_PER_THINKING = 2;
const TOKENS_PER_TOOL_CALLS = 1;
const TOKENS_PER_TOOL_CALL = 3;
const TOKENS_PER_TOOL_RESULT = 3;
const TOKENS_PER_TOOL_LIST = 2;
// A message whose role the templates do not know: the most any role adds.
const TOKENS_PER_OTHER_MESSAGE = 4;
// A text split into several text chunks: the template may write a separator between them.
const TOKENS_PER_EXTRA_CHUNK = 1;
// A 1024×1024 image in 16×16-pixel patches plus one break token per row.
const TOKENS_PER_IMAGE = 4_160;

// v15 (models with a reasoning effort) writes the request's settings as JSON between
// [MODEL_SETTINGS] and [/MODEL_SETTINGS] in every request, the model's default effort when the
// request names none: `{"reasoning_effort": "none"}`. Which models use v15 is not known here,
// so every request is held as if it did, with the longest effort when it names none.
const TOKENS_PER_MODEL_SETTINGS = 2 + 1;
const LONGEST_REASONING_EFFORT = 'minimal';
// `promptMode: 'reasoning'` makes the API put the model's reasoning system prompt first. Its text
// is not published for every model; Magistral Small 2506's is about 250 tokens: twice that.
const TOKENS_PER_REASONING_SYSTEM_PROMPT = 512;

// What the API puts before the conversation when a request sets `safePrompt`.
const SAFE_PROMPT =
  'Always assist with care, respect, and truth. Respond with utmost utility yet securely. Avoid harmful, unethical, prejudiced, or negative content. Ensure replies promote fairness and positivity.';

export function chatPrompt(request: {
  messages?: unknown;
  tools?: unknown;
  responseFormat?: unknown;
  prediction?: unknown;
  safePrompt?: unknown;
  reasoningEffort?: unknown;
  promptMode?: unknown;
}): MistralPrompt {
  const texts: string[] = [];
  let overheadTokens = TOKENS_PER_REQUEST;
  const addJson = (json: TemplateJson): void => {
    texts.push(json.text);
    overheadTokens += json.slackTokens;
  };
  if (request.safePrompt === true) {
    texts.push(SAFE_PROMPT);
    overheadTokens += TOKENS_PER_SYSTEM_MESSAGE;
  }
  if (request.promptMode === 'reasoning')
    overheadTokens += TOKENS_PER_REASONING_SYSTEM_PROMPT + TOKENS_PER_SYSTEM_MESSAGE;
  const effort =
    typeof request.reasoningEffort === 'string' ? request.reasoningEffort : LONGEST_REASONING_EFFORT;
  texts.push(`{"reasoning_effort": ${JSON.stringify(effort)}}`);
  overheadTokens += TOKENS_PER_MODEL_SETTINGS;
  const messages = Array.isArray(request.messages) ? request.messages : [];
  for (const message of messages) {
    if (!isRecord(message)) {
      overheadTokens += TOKENS_PER_OTHER_MESSAGE;
      continue;
    }
    const collected = collectText(message.content);
    overheadTokens += collected.images * TOKENS_PER_IMAGE;
    overheadTokens += collected.thinking * TOKENS_PER_THINKING;
    overheadTokens += Math.max(0, collected.texts.length - 1) * TOKENS_PER_EXTRA_CHUNK;
    if (typeof message.name === 'string') texts.push(message.name);
    switch (message.role) {
      case 'user':
        overheadTokens += TOKENS_PER_USER_MESSAGE;
        texts.push(...collected.texts);
        break;
      case 'system':
        overheadTokens += TOKENS_PER_SYSTEM_MESSAGE;
        texts.push(...collected.texts);
        break;
      case 'assistant': {
        overheadTokens += TOKENS_PER_ASSISTANT_MESSAGE;
        texts.push(...collected.texts);
        const calls = Array.isArray(message.toolCalls) ? message.toolCalls : [];
        if (calls.length > 0) {
          overheadTokens += TOKENS_PER_TOOL_CALLS + calls.length * TOKENS_PER_TOOL_CALL;
          addJson(toolCallsJson(calls));
        }
        break;
      }
      case 'tool': {
        overheadTokens += TOKENS_PER_TOOL_RESULT;
        const content = templateJsonOfText(collected.texts.join(''));
        const callId = typeof message.toolCallId === 'string' ? message.toolCallId : '';
        addJson({
          text: `{"content": ${content.text}, "call_id": ${JSON.stringify(callId)}}`,
          slackTokens: content.slackTokens,
        });
        break;
      }
      default:
        overheadTokens += TOKENS_PER_OTHER_MESSAGE;
        texts.push(...collected.texts);
        if (Array.isArray(message.toolCalls)) texts.push(...message.toolCalls.map(toolCallText));
    }
  }
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    overheadTokens += TOKENS_PER_TOOL_LIST;
    addJson(templateJsonOfValue(request.tools.map(templateTool)));
  } else {
    const tools = jsonText(request.tools);
    if (tools) texts.push(tools);
  }
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

/** An assistant message's tool calls as v3 writes them: `[{"name": …, "arguments": …, "id": …}]`. */
function toolCallsJson(calls: unknown[]): TemplateJson {
  let slackTokens = 0;
  const written = calls.map((call) => {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
    const name = typeof fn.name === 'string' ? fn.name : '';
    const args =
      typeof fn.arguments === 'string'
        ? templateJsonOfText(fn.arguments)
        : templateJsonOfValue(fn.arguments ?? {});
    slackTokens += args.slackTokens;
    const id = isRecord(call) && typeof call.id === 'string' ? `, "id": ${JSON.stringify(call.id)}` : '';
    return `{"name": ${JSON.stringify(name)}, "arguments": ${args.text}${id}}`;
  });
  return { text: `[${written.join(', ')}]`, slackTokens };
}

/** A tool definition as mistral-common's `Tool` model writes it: every field, defaults filled in. */
function templateTool(tool: unknown): unknown {
  if (!isRecord(tool) || !isRecord(tool.function)) return tool;
  const { name, description, parameters } = tool.function;
  return {
    type: 'function',
    function: { name, description: description ?? '', parameters: parameters ?? {} },
  };
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

function collectText(content: unknown): { texts: string[]; images: number; thinking: number } {
  const texts: string[] = [];
  let images = 0;
  let thinking = 0;
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      texts.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (isRecord(value)) {
      if (value.type === 'image_url') images += 1;
      else if (typeof value.text === 'string') texts.push(value.text);
      else if (value.type === 'thinking') {
        thinking += 1;
        visit(value.thinking);
      }
    }
  };
  visit(content);
  return { texts, images, thinking };
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
