import { SPEECH_CONTENT_TYPES, silentAudio } from './audio-output.js';
import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { chunkEvent, finalEvent } from './sse-writer.js';
import { audioTokens, countTextTokens, speechSeconds } from './usage-model.js';

/**
 * `POST /v1/audio/speech`: silent audio, one second per 15 input characters. With
 * `stream_format: 'sse'` it streams one `speech.audio.delta` per second of audio and a
 * `speech.audio.done` event with token usage (text input tokens, 10 audio tokens per second).
 */
export async function handleOpenaiAudioSpeech(context: EndpointContext): Promise<void> {
  context.requiredString('model');
  const input = context.requiredString('input');
  const format = typeof context.body.response_format === 'string' ? context.body.response_format : 'mp3';
  const contentType = SPEECH_CONTENT_TYPES[format];
  if (!contentType) {
    throw new EmulatorRequestError(400, `Unsupported response_format '${format}'.`, 'response_format');
  }
  const seconds = speechSeconds(input);
  if (context.body.stream_format !== 'sse') {
    context.sendBytes(silentAudio(format, seconds), contentType);
    return;
  }

  const instructions = typeof context.body.instructions === 'string' ? context.body.instructions : '';
  const inputTokens = context.usage.inputTokens ?? countTextTokens(input) + countTextTokens(instructions);
  const outputTokens = context.usage.outputTokens ?? audioTokens(seconds);
  const secondOfAudio = silentAudio(format, 1).toString('base64');
  const usage = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
  await context.sendStream([
    ...Array.from({ length: seconds }, () =>
      chunkEvent({ type: 'speech.audio.delta', audio: secondOfAudio }),
    ),
    finalEvent(
      context.faults.omitUsage ? { type: 'speech.audio.done' } : { type: 'speech.audio.done', usage },
    ),
  ]);
}
