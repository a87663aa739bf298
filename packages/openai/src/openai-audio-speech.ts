import { Stream } from 'openai/core/streaming';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import { convertOpenAISpeechUsage } from './convert-openai-usage';
import type { OpenAICallAccounting } from './openai-call-accounting';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';

interface SpeechEvent {
  type?: string;
  usage?: { input_tokens?: number; output_tokens?: number };
}

/**
 * Settles generated speech. tts-1 and tts-1-hd are priced per input character: exact.
 * gpt-4o-mini-tts is priced per text token and per audio output token, and the audio
 * response says nothing of its tokens: text tokens plus the estimated audio tokens,
 * marked estimated, unless the response is an SSE stream (`stream_format: 'sse'`)
 * whose `speech.audio.done` event reports the usage.
 */
async function settleSpeech(
  response: Response,
  accounting: OpenAICallAccounting,
  readable: Response | undefined,
): Promise<void> {
  const tokenPriced = accounting.admission.estimate.usage.characters === 0;
  const contentType = response.headers.get('content-type') ?? '';
  if (readable && contentType.includes('text/event-stream')) {
    let usage: SpeechEvent['usage'];
    for await (const event of Stream.fromSSEResponse<SpeechEvent>(readable, new AbortController())) {
      if (event.type === 'speech.audio.done' && event.usage) usage = event.usage;
    }
    if (usage) {
      await accounting.settle(convertOpenAISpeechUsage(usage));
      return;
    }
  }
  await accounting.settleFromEstimate(tokenPriced);
}

/** `audio.speech.create`: priced on the input text; the audio itself is handed over untouched. */
export const audioSpeechEndpoint: OpenAIEndpoint = (body: SpeechCreateParams, state: OpenAIWrapState) => {
  const input = typeof body.input === 'string' ? body.input : '';
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const streamed = (body as { stream_format?: unknown }).stream_format === 'sse';
  return {
    gate: {
      model: String(body.model),
      service: 'tts',
      text: instructions ? [input, instructions] : [input],
      characters: input.length,
    },
    bodyFor: () => body,
    async finish(result: unknown, accounting: OpenAICallAccounting) {
      const response = result as Response;
      if (streamed && response.body) {
        // The caller reads the events; a copy is read alongside for the usage.
        settleSpeech(response, accounting, response.clone()).catch(state.reportError);
      } else {
        await settleSpeech(response, accounting, undefined);
      }
      return result;
    },
    finishRaw: (copy: Response, accounting: OpenAICallAccounting) =>
      settleSpeech(copy, accounting, streamed ? copy : undefined),
  };
};
