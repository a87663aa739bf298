import type { EndpointContext } from './endpoint-context.js';
import { countTextTokens } from './usage-model.js';

/** A 1x1 transparent PNG: every generated image. */
const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Output tokens per image of the gpt-image models, by quality and size (OpenAI's published table). */
const IMAGE_OUTPUT_TOKENS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

function imageOutputTokens(quality: string, size: string): number {
  const table = IMAGE_OUTPUT_TOKENS[quality] ?? IMAGE_OUTPUT_TOKENS.medium!;
  const known = table[size];
  if (known !== undefined) return known;
  const [width, height] = size.split('x').map(Number);
  const scale = width && height ? (width * height) / (1024 * 1024) : 1;
  return Math.ceil(table['1024x1024']! * scale);
}

function isTokenBilledModel(model: string): boolean {
  return model.startsWith('gpt-image') || model.startsWith('chatgpt-image');
}

/**
 * `POST /v1/images/generations`. gpt-image models return `b64_json` images and token
 * usage (prompt text tokens in; per image the published output tokens for quality and
 * size, `auto` counting as medium and 1024x1024); dall-e models return no usage.
 */
export function handleOpenaiImages(context: EndpointContext): void {
  const prompt = context.requiredString('prompt');
  const model = typeof context.body.model === 'string' ? context.body.model : 'dall-e-2';
  const count = Math.max(1, Math.floor(context.optionalNumber('n') ?? 1));
  const requestedSize = typeof context.body.size === 'string' ? context.body.size : 'auto';
  const size = requestedSize === 'auto' ? '1024x1024' : requestedSize;
  const created = context.unixTime();

  if (isTokenBilledModel(model)) {
    const requestedQuality = typeof context.body.quality === 'string' ? context.body.quality : 'auto';
    const quality = IMAGE_OUTPUT_TOKENS[requestedQuality] ? requestedQuality : 'medium';
    const textTokens = context.usage.inputTokens ?? countTextTokens(prompt);
    const outputTokens = context.usage.outputTokens ?? count * imageOutputTokens(quality, size);
    context.sendJson({
      created,
      background: 'opaque',
      data: Array.from({ length: count }, () => ({ b64_json: PIXEL_PNG_BASE64 })),
      output_format: typeof context.body.output_format === 'string' ? context.body.output_format : 'png',
      quality,
      size,
      usage: {
        input_tokens: textTokens,
        input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { image_tokens: outputTokens, text_tokens: 0 },
        total_tokens: textTokens + outputTokens,
      },
    });
    return;
  }

  const asUrl = context.body.response_format !== 'b64_json';
  context.sendJson({
    created,
    data: Array.from({ length: count }, () => ({
      ...(asUrl ? { url: `data:image/png;base64,${PIXEL_PNG_BASE64}` } : { b64_json: PIXEL_PNG_BASE64 }),
      ...(model === 'dall-e-3' ? { revised_prompt: prompt } : {}),
    })),
  });
}
