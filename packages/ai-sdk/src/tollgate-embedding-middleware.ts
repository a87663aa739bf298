import type { BudgetManager } from '@tollgate/core';
import { admitCall, type CallPlanner, finishCall } from '@tollgate/core/adapter';
import type { EmbeddingModelMiddleware } from 'ai';
import { aiSdkEmbedTexts } from './ai-sdk-prompt';
import { aiSdkModelId, AiSdkRuntimes, type TollgateMiddlewareOptions } from './ai-sdk-runtimes';
import { convertAiSdkEmbeddingUsage } from './convert-ai-sdk-usage';

type WrapEmbedOptions = Parameters<NonNullable<EmbeddingModelMiddleware['wrapEmbed']>>[0];
type EmbedResult = Awaited<ReturnType<WrapEmbedOptions['doEmbed']>>;
type EmbeddingModel = WrapEmbedOptions['model'];

const planEmbed: CallPlanner = (params: WrapEmbedOptions['params'], _runtime, _requestOptions, model) => ({
  gate: { model: aiSdkModelId(model as EmbeddingModel), service: 'embedding', text: aiSdkEmbedTexts(params) },
  settle: (result: EmbedResult, call) =>
    call.settleUsage(result.usage, convertAiSdkEmbeddingUsage, { text: '' }),
});

/**
 * An embedding model middleware for the AI SDK that gates and records every `doEmbed` call of
 * the models it wraps: `wrapEmbeddingModel({ model, middleware: tollgateEmbeddingMiddleware(budget) })`.
 * `embed` and `embedMany` (one call per chunk of values the model takes at once) are held at the
 * values' tokens and recorded from the `usage.tokens` the model returns; a model that returns
 * none is recorded at the values' likely count, marked estimated.
 */
export function tollgateEmbeddingMiddleware(
  budget: BudgetManager,
  options: TollgateMiddlewareOptions = {},
): EmbeddingModelMiddleware {
  const runtimes = new AiSdkRuntimes(budget, options);
  return {
    specificationVersion: 'v4',
    async wrapEmbed({ doEmbed, params, model }) {
      const runtime = runtimes.of(model);
      const call = await admitCall(runtime, planEmbed, params, undefined, model);
      if (call === undefined) return doEmbed();
      let result: EmbedResult;
      try {
        result = await doEmbed();
      } catch (error) {
        await call.release().catch(runtime.options.onSettleError);
        throw error;
      }
      return (await finishCall(call, result)) as EmbedResult;
    },
  };
}
