import Anthropic from '@anthropic-ai/sdk';
import { Mistral } from '@mistralai/mistralai';
import { wrapAnthropic } from '@tollgate/anthropic';
import type { BudgetManager } from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import fc from 'fast-check';
import OpenAI from 'openai';
import { type EntryPoint, type Position, position, withValue } from './entry-point';

const API_KEY = 'sk-hostile-input-test';

const nonObjects = fc.constantFrom<unknown>(null, 7, 'client', true, Symbol('c'), () => {});
const nonBudgets = fc.constantFrom<unknown>(null, 7, 'budget', {}, { $gt: '' }, { gate: 'x' }, [], () => {});

/**
 * The places of a wrapper that take a caller's value: the wrap options (ids from them reach
 * every record), the client, the budget, and the request's model (it reaches the record).
 * Other request fields are the provider API's to check: a malformed output limit is priced
 * as the model's maximum, and the provider's refusal gives the hold back.
 */
function wrapperPositions(
  prefix: string,
  wrap: (client: unknown, budget: unknown, options: unknown) => unknown,
  freshClient: () => unknown,
  budget: BudgetManager,
  call: (wrapped: any, request: Record<string, unknown>) => Promise<unknown>,
  request: Record<string, unknown>,
  extraOptions: Position[],
): Position[] {
  const withOptions = (options: unknown) => call(wrap(freshClient(), budget, options), request);
  const option = (path: string) => (value: unknown) => withOptions(withValue({}, path, value));
  const legitContext = { userId: 'u.1@example.com', projectId: 'p-$1', tags: ['team-a'] };
  return [
    position(
      `${prefix}(client)`,
      'object',
      undefined,
      (value) => call(wrap(value === undefined ? freshClient() : value, budget, {}), request),
      { values: nonObjects },
    ),
    position(
      `${prefix}(budget)`,
      'object',
      budget,
      (value) => call(wrap(freshClient(), value, {}), request),
      {
        values: nonBudgets,
      },
    ),
    position(`${prefix}(options)`, 'object', {}, withOptions),
    position('options.provider', 'id', undefined, option('provider')),
    position('options.requestType', 'key', 'chat-summary', option('requestType')),
    position('options.context', 'object', legitContext, option('context')),
    position('options.context.userId', 'id', 'u.2', (value) =>
      withOptions({ context: { ...legitContext, userId: value } }),
    ),
    position('options.context.projectId', 'id', 'p.2', (value) =>
      withOptions({ context: { ...legitContext, projectId: value } }),
    ),
    position('options.context.tags[]', 'key', 'team-b', (value) =>
      withOptions({ context: { ...legitContext, tags: [value] } }),
    ),
    position('options.onInsufficientBudget', 'choice', 'clamp', option('onInsufficientBudget')),
    position('options.downgrade', 'boolean', false, option('downgrade')),
    position('options.minOutputTokens', 'positive-count', 16, option('minOutputTokens')),
    ...extraOptions,
    position(`request.model`, 'id', request.model, (value) =>
      call(wrap(freshClient(), budget, {}), { ...request, model: value }),
    ),
  ];
}

export function adapterEntryPoints(emulator: Emulator, budget: BudgetManager): EntryPoint[] {
  const openai = () => new OpenAI({ apiKey: API_KEY, baseURL: emulator.openaiBaseURL, maxRetries: 0 });
  const anthropic = () =>
    new Anthropic({ apiKey: API_KEY, baseURL: emulator.anthropicBaseURL, maxRetries: 0 });
  const mistral = () =>
    new Mistral({ apiKey: API_KEY, serverURL: emulator.mistralServerURL, retryConfig: { strategy: 'none' } });
  const messages = [{ role: 'user', content: 'Say hello; ignore { "$gt": "" } and a.b' }];
  const openAICall = (wrapped: any, request: Record<string, unknown>) =>
    wrapped.chat.completions.create(request);
  const anthropicCall = (wrapped: any, request: Record<string, unknown>) => wrapped.messages.create(request);
  const mistralCall = (wrapped: any, request: Record<string, unknown>) => wrapped.chat.complete(request);
  const withMistralOption = (path: string) => (value: unknown) =>
    mistralCall(wrapMistral(mistral(), budget, withValue({}, path, value) as never), {
      model: 'mistral-small-latest',
      messages,
      maxTokens: 16,
    });
  const withAnthropicOption = (path: string) => (value: unknown) =>
    anthropicCall(wrapAnthropic(anthropic() as never, budget, withValue({}, path, value) as never), {
      model: 'claude-3-5-haiku-latest',
      messages,
      max_tokens: 16,
    });

  return [
    {
      name: 'wrapOpenAI',
      positions: wrapperPositions(
        'wrapOpenAI',
        (client, wrappedBudget, options) =>
          wrapOpenAI(client as never, wrappedBudget as never, options as never),
        openai,
        budget,
        openAICall,
        { model: 'gpt-4o-mini', messages, max_tokens: 16 },
        [
          position(
            'options.onSettleError',
            'function',
            () => {},
            (value) =>
              openAICall(wrapOpenAI(openai(), budget, { onSettleError: value as never }), {
                model: 'gpt-4o-mini',
                messages,
                max_tokens: 16,
              }),
          ),
        ],
      ),
    },
    {
      name: 'wrapAnthropic',
      positions: wrapperPositions(
        'wrapAnthropic',
        (client, wrappedBudget, options) =>
          wrapAnthropic(client as never, wrappedBudget as never, options as never),
        anthropic,
        budget,
        anthropicCall,
        { model: 'claude-3-5-haiku-latest', messages, max_tokens: 16 },
        [position('options.estimateWith', 'choice', 'bound', withAnthropicOption('estimateWith'))],
      ),
    },
    {
      name: 'wrapMistral',
      positions: wrapperPositions(
        'wrapMistral',
        (client, wrappedBudget, options) =>
          wrapMistral(client as never, wrappedBudget as never, options as never),
        mistral,
        budget,
        mistralCall,
        { model: 'mistral-small-latest', messages, maxTokens: 16 },
        [
          position('options.assumedAudioSeconds', 'quantity', 30, withMistralOption('assumedAudioSeconds')),
          position('options.assumedPages', 'positive-count', 5, withMistralOption('assumedPages')),
          position('options.onSettleError', 'function', () => {}, withMistralOption('onSettleError')),
        ],
      ),
    },
  ];
}
