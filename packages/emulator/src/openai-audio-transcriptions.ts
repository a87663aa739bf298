import type { EndpointContext } from './endpoint-context.js';
import { EmulatorRequestError } from './emulator-request-error.js';
import { chunkEvent, finalEvent } from './sse-writer.js';
import { buildTranscript, transcriptToSrt, transcriptToVtt } from './transcript.js';
import {
  audioTokens,
  countTextTokens,
  resolveAudioSeconds,
  transcriptTokenCount,
  type UsageSettings,
} from './usage-model.js';

function tokenUsage(
  seconds: number,
  prompt: string,
  outputTokens: number,
  settings: UsageSettings,
): Record<string, unknown> {
  const textTokens = countTextTokens(prompt);
  const inputTokens = settings.inputTokens ?? audioTokens(seconds) + textTokens;
  return {
    type: 'tokens',
    input_tokens: inputTokens,
    input_token_details: { audio_tokens: Math.max(0, inputTokens - textTokens), text_tokens: textTokens },
    output_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

/**
 * `POST /v1/audio/transcriptions` (multipart). `whisper-*` models report
 * `{ type: 'duration', seconds }` usage, the others (gpt-4o-transcribe, ...) token
 * usage: 10 audio tokens per second plus the `prompt` field's text tokens in, one
 * token per transcript word out. `stream: true` streams `transcript.text.delta`
 * events and a `transcript.text.done` with the usage (not for whisper, as the real API).
 */
export async function handleOpenaiAudioTranscriptions(context: EndpointContext): Promise<void> {
  const model = context.requiredString('model');
  const file = context.form?.files.file;
  if (!file) throw new EmulatorRequestError(400, "'file' is a required upload.", 'file');
  const seconds = resolveAudioSeconds(file.size, context.usage);
  const transcript = buildTranscript(transcriptTokenCount(seconds, context.usage), seconds);
  const prompt = typeof context.body.prompt === 'string' ? context.body.prompt : '';
  const durationModel = model.startsWith('whisper');
  const usage = durationModel
    ? { type: 'duration', seconds }
    : tokenUsage(seconds, prompt, transcript.words.length, context.usage);
  const format = typeof context.body.response_format === 'string' ? context.body.response_format : 'json';
  const language = typeof context.body.language === 'string' ? context.body.language : 'english';

  if (context.streaming && !durationModel) {
    const done = { type: 'transcript.text.done', text: transcript.text };
    await context.sendStream([
      ...transcript.words.map((word) => chunkEvent({ type: 'transcript.text.delta', delta: word })),
      finalEvent(context.faults.omitUsage ? done : { ...done, usage }),
    ]);
    return;
  }

  switch (format) {
    case 'json':
      context.sendJson({ text: transcript.text, usage });
      return;
    case 'text':
      context.sendText(transcript.text);
      return;
    case 'srt':
      context.sendText(transcriptToSrt(transcript));
      return;
    case 'vtt':
      context.sendText(transcriptToVtt(transcript), 'text/vtt; charset=utf-8');
      return;
    case 'verbose_json':
      context.sendJson({
        task: 'transcribe',
        language,
        duration: seconds,
        text: transcript.text,
        segments: transcript.segments.map((segment) => ({
          id: segment.index,
          seek: 0,
          start: segment.start,
          end: segment.end,
          text: segment.text,
          tokens: Array.from({ length: segment.wordCount }, (_, offset) => 1000 + segment.firstWord + offset),
          temperature: 0,
          avg_logprob: -0.2,
          compression_ratio: 1.2,
          no_speech_prob: 0.01,
        })),
        usage: { type: 'duration', seconds },
      });
      return;
    case 'diarized_json':
      context.sendJson({
        task: 'transcribe',
        duration: seconds,
        text: transcript.text,
        segments: transcript.segments.map((segment) => ({
          type: 'transcript.text.segment',
          id: `seg_${segment.index}`,
          start: segment.start,
          end: segment.end,
          speaker: 'A',
          text: segment.text,
        })),
        usage,
      });
      return;
    default:
      throw new EmulatorRequestError(400, `Unsupported response_format '${format}'.`, 'response_format');
  }
}
