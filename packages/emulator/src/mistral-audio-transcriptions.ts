import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { chunkEvent, finalEvent, preambleEvent, type StreamEvent } from './sse-writer.js';
import { buildTranscript } from './transcript.js';
import { audioTokens, resolveAudioSeconds, transcriptTokenCount } from './usage-model.js';

/**
 * `POST /v1/audio/transcriptions` for Mistral (multipart). Usage reports whole
 * `prompt_audio_seconds`, 10 prompt tokens per second and one completion token per
 * transcript word. `stream: true` sends `transcription.language`, one
 * `transcription.text.delta` per word and `transcription.done` with the usage
 * (left out entirely when the usage is omitted, since the SDK requires it there).
 */
export async function handleMistralAudioTranscriptions(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const file = context.form?.files.file;
  if (!file && typeof context.body.file_url !== 'string' && typeof context.body.file_id !== 'string') {
    throw new EmulatorRequestError(400, "One of 'file', 'file_url' or 'file_id' is required.", 'file');
  }
  const seconds = resolveAudioSeconds(file?.size ?? 0, context.usage);
  const transcript = buildTranscript(transcriptTokenCount(seconds, context.usage), seconds);
  const language = typeof context.body.language === 'string' ? context.body.language : 'en';
  const promptTokens = context.usage.inputTokens ?? audioTokens(seconds);
  const completionTokens = transcript.words.length;
  const result = {
    model,
    text: transcript.text,
    language,
    segments: transcript.segments.map((segment) => ({
      type: 'transcription_segment',
      text: segment.text,
      start: segment.start,
      end: segment.end,
    })),
    usage: {
      prompt_audio_seconds: seconds,
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };

  if (!context.streaming) {
    context.sendJson(result);
    return;
  }
  const events: StreamEvent[] = [
    preambleEvent({ type: 'transcription.language', audio_language: language }, 'transcription.language'),
    ...transcript.words.map((word) =>
      chunkEvent({ type: 'transcription.text.delta', text: word }, 'transcription.text.delta'),
    ),
  ];
  if (!context.faults.omitUsage) {
    events.push(finalEvent({ ...result, type: 'transcription.done' }, 'transcription.done'));
  }
  await context.sendStream(events);
}
