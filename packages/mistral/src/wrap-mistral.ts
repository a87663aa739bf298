import type { Mistral } from '@mistralai/mistralai';
import type { BudgetManager } from '@tollgate/core';
import { type CallPlanner, checkSdkClient, gatedMethod, proxyClient } from '@tollgate/core/adapter';
import { planChat, planFim } from './mistral-completion-calls';
import { planEmbeddings } from './mistral-embeddings-call';
import { planOcr } from './mistral-ocr-call';
import { planSpeech } from './mistral-speech-call';
import { planTranscription } from './mistral-transcription-calls';
import { type MistralRuntime, mistralRuntime, type WrapMistralOptions } from './mistral-wrap-options';

/**
 * Puts a Mistral client under budget control. The result is the same client (same
 * type, same methods, same responses and streams) whose chat, FIM, embeddings,
 * transcription, speech and OCR calls are estimated and gated before they are made
 * and recorded from the provider's usage afterwards. Everything else passes through.
 */
export function wrapMistral<Client extends Mistral>(
  client: Client,
  budget: BudgetManager,
  options: WrapMistralOptions = {},
): Client {
  checkSdkClient(client, 'mistral');
  const runtime = mistralRuntime(budget, options);
  const gated = (planner: CallPlanner<MistralRuntime>) => gatedMethod(runtime, planner);
  return proxyClient(client, {
    resources: {
      chat: {
        methods: {
          complete: gated(planChat),
          stream: gated(planChat),
          parse: gated(planChat),
          parseStream: gated(planChat),
        },
      },
      fim: { methods: { complete: gated(planFim), stream: gated(planFim) } },
      embeddings: { methods: { create: gated(planEmbeddings) } },
      audio: {
        resources: {
          transcriptions: {
            methods: { complete: gated(planTranscription), stream: gated(planTranscription) },
          },
          speech: { methods: { complete: gated(planSpeech) } },
        },
      },
      ocr: { methods: { process: gated(planOcr) } },
    },
  });
}
