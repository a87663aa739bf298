import { type BudgetManager, contextWithDefaults, ValidationError, validateId } from '@tollgate/core';
import type OpenAI from 'openai';
import { inferOpenAIProvider } from './infer-openai-provider';
import { audioSpeechEndpoint } from './openai-audio-speech';
import { audioTranscriptionsEndpoint } from './openai-audio-transcriptions';
import { chatCompletionsEndpoint } from './openai-chat-completions';
import { embeddingsEndpoint } from './openai-embeddings';
import type { OpenAIEndpoint, OpenAIWrapState } from './openai-endpoint';
import { runGatedCall } from './openai-gated-call';
import { imagesEndpoint } from './openai-images';
import { responsesEndpoint } from './openai-responses';
import type { WrapOpenAIOptions } from './wrap-openai-options';

const WRAPPED = Symbol.for('tollgate.openai.wrapped');

/** The gated methods, by resource path. Every other method passes through untouched. */
const GATED_METHODS: Readonly<Record<string, Readonly<Record<string, OpenAIEndpoint>>>> = {
  'chat.completions': { create: chatCompletionsEndpoint },
  responses: { create: responsesEndpoint },
  embeddings: { create: embeddingsEndpoint },
  'audio.transcriptions': { create: audioTranscriptionsEndpoint },
  'audio.speech': { create: audioSpeechEndpoint },
  images: { generate: imagesEndpoint },
};

/**
 * SDK helpers that make their requests through `this._client` or `this.create`.
 * They run with the wrapped resource as `this`, so their requests are gated too.
 */
const HELPERS: Readonly<Record<string, ReadonlySet<string>>> = {
  'chat.completions': new Set(['parse', 'stream', 'runTools']),
  responses: new Set(['parse', 'stream']),
};

function defaultReportError(error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const warning = `tollgate could not settle an OpenAI call: ${name}: ${message}`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(warning, { code: 'TOLLGATE_SETTLE' });
  } else {
    console.warn(warning);
  }
}

function validateOptions(options: WrapOpenAIOptions): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ValidationError({ field: 'options', message: 'must be an object' });
  if (options.provider !== undefined) validateId(options.provider, 'options.provider');
  // The context's ids reach every record of this client: checked now, not on the first call.
  if (options.context !== undefined) contextWithDefaults(options.context);
  if (options.downgrade !== undefined && typeof options.downgrade !== 'boolean')
    throw new ValidationError({ field: 'options.downgrade', message: 'must be true or false' });
  if (
    options.minOutputTokens !== undefined &&
    (!Number.isSafeInteger(options.minOutputTokens) || options.minOutputTokens < 1)
  ) {
    throw new ValidationError({
      field: 'options.minOutputTokens',
      message: 'must be a positive whole number',
    });
  }
  if (options.requestType !== undefined)
    validateId(options.requestType, 'options.requestType', { key: true });
  if (
    options.onInsufficientBudget !== undefined &&
    options.onInsufficientBudget !== 'clamp' &&
    options.onInsufficientBudget !== 'throw'
  ) {
    throw new ValidationError({
      field: 'options.onInsufficientBudget',
      message: "must be 'clamp' or 'throw'",
    });
  }
  if (options.onSettleError !== undefined && typeof options.onSettleError !== 'function') {
    throw new ValidationError({ field: 'options.onSettleError', message: 'must be a function' });
  }
}

/**
 * Puts an OpenAI SDK client under a budget. Returns the same client, with the same
 * type: every gated call is estimated and reserved before it is sent (refused with
 * `BudgetExceededError`, or its output limit clamped), and recorded from the
 * provider's usage afterwards, streams included. Other methods pass through.
 *
 * The provider (`openai`, `qwen`, `ollama`) is inferred from the client's `baseURL`
 * unless `options.provider` is given.
 */
export function wrapOpenAI<Client extends OpenAI>(
  client: Client,
  budget: BudgetManager,
  options: WrapOpenAIOptions = {},
): Client {
  if (!client || typeof client !== 'object')
    throw new ValidationError({ field: 'client', message: 'must be an OpenAI client' });
  if ((client as unknown as Record<symbol, unknown>)[WRAPPED]) {
    throw new ValidationError({
      field: 'client',
      message: 'is already wrapped: wrapping it twice would count every call twice',
    });
  }
  if (!budget || typeof budget.gate !== 'function')
    throw new ValidationError({ field: 'budget', message: 'must be a BudgetManager' });
  validateOptions(options);
  const state: OpenAIWrapState = {
    budget,
    provider: options.provider ?? inferOpenAIProvider(client.baseURL),
    options: { ...options },
    reportError: options.onSettleError ?? defaultReportError,
  };

  const resourceProxies = new WeakMap<object, object>();
  // Bound once per object and function, so that `wrapped.x.y === wrapped.x.y` as on the client.
  const boundMethods = new WeakMap<object, WeakMap<Function, Function>>();
  const bind = (method: Function, target: object): Function => {
    let forTarget = boundMethods.get(target);
    if (!forTarget) boundMethods.set(target, (forTarget = new WeakMap()));
    let bound = forTarget.get(method);
    if (!bound) forTarget.set(method, (bound = method.bind(target) as Function));
    return bound;
  };

  const isResource = (value: unknown): value is object =>
    typeof value === 'object' && value !== null && (value as { _client?: unknown })._client === client;

  const proxyResource = (resource: object, path: string): object => {
    let proxy = resourceProxies.get(resource);
    if (proxy) return proxy;
    const gated = GATED_METHODS[path] ?? {};
    const helpers = HELPERS[path];
    const gatedMethods = new WeakMap<Function, Function>();
    proxy = new Proxy(resource, {
      get(target, property) {
        if (property === '_client') return wrapped;
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function' || property === 'constructor') {
          if (isResource(value) && typeof property === 'string')
            return proxyResource(value, `${path}.${property}`);
          return value;
        }
        if (typeof property === 'string' && Object.hasOwn(gated, property)) {
          let method = gatedMethods.get(value);
          if (!method) {
            const endpoint = gated[property]!;
            method = (...args: unknown[]) =>
              runGatedCall(client, target, value as never, endpoint, state, args);
            gatedMethods.set(value, method);
          }
          return method;
        }
        if (typeof property === 'string' && helpers?.has(property)) return value;
        return bind(value, target);
      },
    });
    resourceProxies.set(resource, proxy);
    return proxy;
  };

  const wrapped = new Proxy(client, {
    get(target, property) {
      if (property === WRAPPED) return true;
      if (property === 'withOptions') {
        return (...args: Parameters<OpenAI['withOptions']>) =>
          wrapOpenAI(target.withOptions(...args), budget, options);
      }
      const value = Reflect.get(target, property, target);
      if (isResource(value) && typeof property === 'string') return proxyResource(value, property);
      if (typeof value === 'function' && property !== 'constructor') return bind(value, target);
      return value;
    },
  });
  return wrapped;
}
