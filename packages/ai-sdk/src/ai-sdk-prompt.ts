/** The framing tokens each message adds on top of its text (role, separators), as OpenAI's chat format counts them. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** What the gate holds for a prompt: its texts, counted with core's bound, and the framing of its messages. */
export interface AiSdkPrompt {
  readonly texts: string[];
  readonly overheadTokens: number;
}

/**
 * The texts of a language model call's prompt (`params.prompt`, the AI SDK's standardized
 * messages) and tools: system text, text and reasoning parts, tool-call inputs and tool results
 * as JSON, and the tool definitions as JSON. Files and images count nothing here (their tokens
 * depend on the provider); the provider's usage settles them.
 */
export function aiSdkPrompt(params: { prompt?: unknown; tools?: unknown }): AiSdkPrompt {
  const texts: string[] = [];
  let messages = 0;
  if (Array.isArray(params.prompt)) {
    for (const message of params.prompt) {
      if (message === null || typeof message !== 'object') continue;
      messages += 1;
      const { content } = message as { content?: unknown };
      if (typeof content === 'string') texts.push(content);
      else if (Array.isArray(content)) for (const part of content) addPart(texts, part);
    }
  }
  if (Array.isArray(params.tools) && params.tools.length > 0) texts.push(JSON.stringify(params.tools));
  return { texts, overheadTokens: messages * MESSAGE_OVERHEAD_TOKENS };
}

function addPart(texts: string[], part: unknown): void {
  if (part === null || typeof part !== 'object') return;
  const { type, text, input, output } = part as {
    type?: unknown;
    text?: unknown;
    input?: unknown;
    output?: unknown;
  };
  if ((type === 'text' || type === 'reasoning') && typeof text === 'string') texts.push(text);
  else if (type === 'tool-call')
    texts.push(typeof input === 'string' ? input : JSON.stringify(input ?? null));
  else if (type === 'tool-result') texts.push(resultText(output));
}

function resultText(output: unknown): string {
  if (output !== null && typeof output === 'object') {
    const { type, value } = output as { type?: unknown; value?: unknown };
    if ((type === 'text' || type === 'error-text') && typeof value === 'string') return value;
  }
  return JSON.stringify(output ?? null) ?? '';
}

/** The texts of the values an embedding call embeds (strings; anything else as JSON). */
export function aiSdkEmbedTexts(params: { values?: unknown }): string[] {
  if (!Array.isArray(params.values)) return [];
  return params.values.map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')));
}

/** The generated text of a `doGenerate` result's content: text, reasoning and tool-call inputs. */
export function generatedText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (part === null || typeof part !== 'object') continue;
    const { type, text: partText, input } = part as { type?: unknown; text?: unknown; input?: unknown };
    if ((type === 'text' || type === 'reasoning') && typeof partText === 'string') text += partText;
    else if (type === 'tool-call' && typeof input === 'string') text += input;
  }
  return text;
}
