import type { BudgetManager } from '@tollgate/core';
import {
  type AdmittedCall,
  admitCall,
  type CallPlanner,
  finishCall,
  observeStream,
  requestWith,
  StreamedOutput,
  type StreamEnding,
  type StreamObserver,
} from '@tollgate/core/adapter';
import type { LanguageModelMiddleware } from 'ai';
import { aiSdkPrompt, generatedText } from './ai-sdk-prompt';
import { aiSdkModelId, AiSdkRuntimes, type TollgateMiddlewareOptions } from './ai-sdk-runtimes';
import { convertAiSdkUsage } from './convert-ai-sdk-usage';

type WrapGenerateOptions = Parameters<NonNullable<LanguageModelMiddleware['wrapGenerate']>>[0];
type GenerateResult = Awaited<ReturnType<WrapGenerateOptions['doGenerate']>>;
type StreamResult = Awaited<ReturnType<WrapGenerateOptions['doStream']>>;
type LanguageModel = WrapGenerateOptions['model'];
type CallOptions = WrapGenerateOptions['params'];

const planModelCall: CallPlanner = (params: CallOptions, _runtime, _requestOptions, model) => {
  const prompt = aiSdkPrompt(params);
  return {
    gate: {
      model: aiSdkModelId(model as LanguageModel),
      service: 'llm',
      text: prompt.texts,
      overheadTokens: prompt.overheadTokens,
      maxOutputTokens: params.maxOutputTokens,
    },
    request: (call) =>
      call.clampedOutputTokens === undefined
        ? call.request
        : requestWith(call.request, { maxOutputTokens: call.clampedOutputTokens }),
    settle: (result: GenerateResult, call) =>
      call.settleUsage(
        result.usage,
        convertAiSdkUsage,
        { text: generatedText(result.content) },
        { responseId: result.response?.id, servedModel: result.response?.modelId },
      ),
    stream: (call) => new AiSdkStreamObserver(call),
  };
};

/** Reads the parts of one `doStream` stream: the text received, the response's id and model, the `finish` part's usage. */
class AiSdkStreamObserver implements StreamObserver<{ type?: string }> {
  ended = false;
  private readonly output: StreamedOutput;
  private failed = false;

  constructor(call: AdmittedCall) {
    this.output = new StreamedOutput(call);
  }

  observe(part: { type?: string; [field: string]: unknown }): void {
    switch (part.type) {
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta':
        this.output.add(part.delta);
        break;
      case 'response-metadata':
        this.output.identify(part.id, part.modelId);
        break;
      case 'finish':
        this.output.report(part.usage, convertAiSdkUsage);
        this.ended = true;
        break;
      case 'error':
        this.failed = true;
        break;
    }
  }

  finish(ending: StreamEnding): Promise<unknown> {
    // A provider error is a part of the stream, which then closes normally: cut short, not complete.
    return this.output.settle(this.failed && ending === 'completed' ? 'failed' : ending);
  }
}

/**
 * A language model middleware for the AI SDK that keeps every call of the models it wraps inside
 * the budget: `wrapLanguageModel({ model, middleware: tollgateMiddleware(budget) })`.
 *
 * Before a call (`doGenerate`, `doStream`) it holds the worst case (the prompt's messages and
 * tools, `maxOutputTokens` or the model's maximum output) on every budget that applies, or
 * shrinks `maxOutputTokens` to what fits (`onInsufficientBudget: 'clamp'`), or throws
 * `BudgetExceededError` before anything is sent. Afterwards it records the usage the model
 * returns (input, cache reads and writes, output, reasoning) with the provider and model id the
 * model reports (`aiSdkProviderId`). A stream is settled exactly once: at its `finish` part, or
 * from the text received when it fails, is aborted, is left by the caller, or is dropped.
 *
 * Options are checked here: a typo throws a `ValidationError` at start-up.
 */
export function tollgateMiddleware(
  budget: BudgetManager,
  options: TollgateMiddlewareOptions = {},
): LanguageModelMiddleware {
  const runtimes = new AiSdkRuntimes(budget, options);
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const runtime = runtimes.of(model);
      const call = await admitCall(runtime, planModelCall, params, undefined, model);
      if (call === undefined) return doGenerate();
      const sent = call.sentRequest() as CallOptions;
      let result: GenerateResult;
      try {
        result = await (sent === params ? doGenerate() : model.doGenerate(sent));
      } catch (error) {
        await call.release().catch(runtime.options.onSettleError);
        throw error;
      }
      return (await finishCall(call, result)) as GenerateResult;
    },
    async wrapStream({ doStream, params, model }) {
      const runtime = runtimes.of(model);
      const call = await admitCall(runtime, planModelCall, params, undefined, model);
      if (call === undefined) return doStream();
      const sent = call.sentRequest() as CallOptions;
      let result: StreamResult;
      try {
        result = await (sent === params ? doStream() : model.doStream(sent));
      } catch (error) {
        await call.release().catch(runtime.options.onSettleError);
        throw error;
      }
      const observer = call.plan.stream?.(call) as StreamObserver<unknown>;
      result.stream = observeStream(result.stream, observer, {
        onSettleError: runtime.options.onSettleError,
        call,
      });
      return result;
    },
  };
}
