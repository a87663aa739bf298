import {
  type AdapterRuntime,
  type AdmittedCall,
  type CallPlan,
  serverSentEvents,
} from '@tollgate/core/adapter';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import { pricedModelOf } from './azure-deployments';
import { convertOpenAISpeechUsage } from './convert-openai-usage';

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
async function settleSpeech(response: Response, call: AdmittedCall, readable: Response | undefined) {
  const tokenPriced = call.admission.estimate.usage.characters === 0;
  const contentType = response.headers.get('content-type') ?? '';
  if (readable && contentType.includes('text/event-stream')) {
    let usage: SpeechEvent['usage'];
    for await (const event of serverSentEvents(readable)) {
      const speech = event as SpeechEvent;
      if (speech.type === 'speech.audio.done' && speech.usage !== undefined && speech.usage !== null)
        usage = speech.usage;
    }
    if (usage !== undefined) return call.settleUsage(usage, convertOpenAISpeechUsage, 'estimate');
  }
  return call.settleFromEstimate({ estimated: tokenPriced });
}

/** `audio.speech.create`: priced on the input text; the audio itself is handed over untouched. */
export function planSpeech(body: SpeechCreateParams, runtime: AdapterRuntime): CallPlan {
  const input = typeof body.input === 'string' ? body.input : '';
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const streamed = (body as { stream_format?: unknown }).stream_format === 'sse';
  return {
    gate: {
      model: pricedModelOf(runtime, body.model),
      service: 'tts',
      text: instructions ? [input, instructions] : [input],
      characters: input.length,
    },
    async settle(response: Response, call: AdmittedCall) {
      if (!streamed || !response.body) return settleSpeech(response, call, undefined);
      // The caller reads the events; a copy is read alongside for the usage.
      settleSpeech(response, call, response.clone()).catch(call.runtime.options.onSettleError);
    },
    settleRaw: (copy, call) => settleSpeech(copy, call, streamed ? copy : undefined),
  };
}
