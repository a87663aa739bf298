import type { Mistral } from '@mistralai/mistralai';
import { type BudgetManager, ValidationError } from '@tollgate/core';
import { MistralBudgetGate } from './mistral-budget-gate';
import { meterCompletion, meterCompletionStream } from './mistral-completion-calls';
import { meterEmbeddings } from './mistral-embeddings-call';
import { meterOcr } from './mistral-ocr-call';
import { meterSpeech } from './mistral-speech-call';
import { meterTranscription, meterTranscriptionStream } from './mistral-transcription-calls';
import { resolveWrapOptions, type WrapMistralOptions } from './mistral-wrap-options';

type SdkMethod = (request: any, options?: any) => Promise<any>;
type MeterFactory = (gate: MistralBudgetGate, original: SdkMethod) => SdkMethod;

/** Which resources of the client are proxied, and which of their methods are metered. */
interface ResourcePlan {
  readonly methods?: Readonly<Record<string, MeterFactory>>;
  readonly resources?: Readonly<Record<string, ResourcePlan>>;
}

const CLIENT_PLAN: ResourcePlan = {
  resources: {
    chat: {
      methods: {
        complete: (gate, original) => meterCompletion(gate, 'chat', original),
        stream: (gate, original) => meterCompletionStream(gate, 'chat', original),
        parse: (gate, original) => meterCompletion(gate, 'chat', original),
        parseStream: (gate, original) => meterCompletionStream(gate, 'chat', original),
      },
    },
    fim: {
      methods: {
        complete: (gate, original) => meterCompletion(gate, 'fim', original),
        stream: (gate, original) => meterCompletionStream(gate, 'fim', original),
      },
    },
    embeddings: { methods: { create: meterEmbeddings } },
    audio: {
      resources: {
        transcriptions: { methods: { complete: meterTranscription, stream: meterTranscriptionStream } },
        speech: { methods: { complete: meterSpeech } },
      },
    },
    ocr: { methods: { process: meterOcr } },
  },
};

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
  if (typeof client !== 'object' || client === null)
    throw new ValidationError({ field: 'client', message: 'must be a Mistral client' });
  if (
    typeof budget !== 'object' ||
    budget === null ||
    typeof (budget as { gate?: unknown }).gate !== 'function'
  ) {
    throw new ValidationError({ field: 'budget', message: 'must be a BudgetManager (createBudget())' });
  }
  const gate = new MistralBudgetGate(budget, resolveWrapOptions(options));
  return proxyResource(client, CLIENT_PLAN, gate, new WeakMap());
}

function proxyResource<T extends object>(
  target: T,
  plan: ResourcePlan,
  gate: MistralBudgetGate,
  proxies: WeakMap<object, object>,
): T {
  const existing = proxies.get(target);
  if (existing) return existing as T;
  const metered = new Map<string, { original: unknown; method: SdkMethod }>();
  // The SDK's classes keep private (#) fields, so a method must run with the real
  // object as `this`, not the proxy: pass-through methods are bound, once each.
  const bound = new WeakMap<Function, Function>();
  const proxy = new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof property === 'string') {
        const resource = plan.resources?.[property];
        if (resource && typeof value === 'object' && value !== null)
          return proxyResource(value, resource, gate, proxies);
        const factory = plan.methods?.[property];
        if (factory && typeof value === 'function') {
          let entry = metered.get(property);
          if (entry?.original !== value) {
            const original = value as SdkMethod;
            entry = {
              original,
              method: factory(gate, (request, options) => original.call(object, request, options)),
            };
            metered.set(property, entry);
          }
          return entry.method;
        }
      }
      if (typeof value === 'function' && property !== 'constructor') {
        let method = bound.get(value);
        if (!method) {
          method = value.bind(object) as Function;
          bound.set(value, method);
        }
        return method;
      }
      return value;
    },
  });
  proxies.set(target, proxy);
  return proxy;
}
