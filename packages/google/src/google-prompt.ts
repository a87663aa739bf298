/**
 * Tokens held for each image, audio, video or file part of a prompt when it is not counted
 * exactly: Gemini's count for one image of up to 384 px a side (larger ones are tiled at 258
 * tokens a tile; a second of video is 263, of audio 32). Exact counts come from `countTokens`.
 */
export const MEDIA_PART_TOKENS = 258;

/** The texts of a Gemini prompt, split as the exact count needs them, and what the gate adds for media. */
export interface GooglePrompt {
  /** The texts of `contents`: what `models.countTokens` counts on the Developer API. */
  readonly contentTexts: string[];
  /** The system instruction and the tools' declarations, which that endpoint does not count. */
  readonly instructionTexts: string[];
  /** Tokens held for the media parts of `contents` (`MEDIA_PART_TOKENS` each), which the exact count counts itself. */
  readonly contentMediaTokens: number;
  /** Tokens held for media parts of the system instruction. */
  readonly instructionMediaTokens: number;
}

class PromptReader {
  readonly texts: string[] = [];
  mediaParts = 0;

  /** A `ContentListUnion` / `ContentUnion` / `PartUnion`: strings, parts, contents, or lists of them. */
  read(value: unknown): void {
    if (typeof value === 'string') {
      this.texts.push(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.read(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const part = value as Record<string, unknown>;
    if (Array.isArray(part.parts)) {
      this.read(part.parts);
      return;
    }
    if (typeof part.text === 'string') this.texts.push(part.text);
    for (const field of ['functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'])
      if (part[field] !== undefined && part[field] !== null)
        this.texts.push(JSON.stringify(part[field]) ?? '');
    if (part.inlineData !== undefined || part.fileData !== undefined) this.mediaParts += 1;
  }
}

/**
 * The prompt of a `generateContent` request: `contents`, `config.systemInstruction` and
 * `config.tools` (their declarations as JSON). Media parts are held at `MEDIA_PART_TOKENS` each.
 */
export function googlePrompt(request: { contents?: unknown; config?: unknown }): GooglePrompt {
  const contents = new PromptReader();
  contents.read(request.contents);
  const instructions = new PromptReader();
  const config = request.config as { systemInstruction?: unknown; tools?: unknown } | undefined;
  if (config !== null && typeof config === 'object') {
    instructions.read(config.systemInstruction);
    if (Array.isArray(config.tools) && config.tools.length > 0)
      instructions.texts.push(JSON.stringify(config.tools) ?? '');
  }
  return {
    contentTexts: contents.texts,
    instructionTexts: instructions.texts,
    contentMediaTokens: contents.mediaParts * MEDIA_PART_TOKENS,
    instructionMediaTokens: instructions.mediaParts * MEDIA_PART_TOKENS,
  };
}

/** The texts an embedContent request embeds (`contents`: strings, parts or contents). */
export function googleEmbedTexts(request: { contents?: unknown }): string[] {
  const reader = new PromptReader();
  reader.read(request.contents);
  return reader.texts;
}

/** The text a response or stream chunk carries (text and thought parts, function calls as JSON). */
export function googleResponseText(response: unknown): string {
  const candidates = (response as { candidates?: unknown } | null | undefined)?.candidates;
  if (!Array.isArray(candidates)) return '';
  const reader = new PromptReader();
  for (const candidate of candidates) reader.read((candidate as { content?: unknown } | null)?.content);
  return reader.texts.join('');
}
