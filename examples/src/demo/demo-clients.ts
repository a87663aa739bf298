import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Mistral } from '@mistralai/mistralai';
import { tollgateMiddleware } from '@tollgate/ai-sdk';
import { wrapAnthropic } from '@tollgate/anthropic';
import type { BudgetManager } from '@tollgate/core';
import type { Emulator } from '@tollgate/emulator';
import { wrapGoogleGenAI } from '@tollgate/google';
import { wrapMistral } from '@tollgate/mistral';
import { wrapOpenAI } from '@tollgate/openai';
import { type LanguageModel, wrapLanguageModel } from 'ai';
import OpenAI from 'openai';

/**
 * The real SDK clients of the four providers, and a Vercel AI SDK model, pointed at the emulator
 * and wrapped with the app's budget.
 */
export interface DemoClients {
  openai: OpenAI;
  /** `downgrade: true`: the cost strategy of the current alert level may pick a cheaper OpenAI model. */
  openaiDowngrading: OpenAI;
  anthropic: Anthropic;
  /** `downgrade: true`, for the long-context summaries. */
  anthropicDowngrading: Anthropic;
  /** `onInsufficientBudget: 'clamp'`: shrinks `max_tokens` to what the budget affords instead of refusing. */
  anthropicClamping: Anthropic;
  mistral: Mistral;
  gemini: GoogleGenAI;
  /** gpt-4o-mini through the AI SDK's OpenAI provider, under `tollgateMiddleware`. */
  aiSdkModel: LanguageModel;
}

export function demoClients(budget: BudgetManager, emulator: Emulator): DemoClients {
  // A client can be wrapped once, so each set of options gets its own SDK client.
  const openai = () => new OpenAI({ apiKey: 'demo', baseURL: emulator.openaiBaseURL, maxRetries: 0 });
  const anthropic = () =>
    new Anthropic({ apiKey: 'demo', baseURL: emulator.anthropicBaseURL, maxRetries: 0 });
  const mistral = () =>
    new Mistral({ apiKey: 'demo', serverURL: emulator.mistralServerURL, retryConfig: { strategy: 'none' } });
  return {
    openai: wrapOpenAI(openai(), budget),
    openaiDowngrading: wrapOpenAI(openai(), budget, { downgrade: true }),
    anthropic: wrapAnthropic(anthropic(), budget),
    anthropicDowngrading: wrapAnthropic(anthropic(), budget, { downgrade: true }),
    anthropicClamping: wrapAnthropic(anthropic(), budget, { onInsufficientBudget: 'clamp' }),
    mistral: wrapMistral(mistral(), budget),
    gemini: wrapGoogleGenAI(
      new GoogleGenAI({ apiKey: 'demo', httpOptions: { baseUrl: emulator.geminiBaseURL } }),
      budget,
    ),
    aiSdkModel: wrapLanguageModel({
      model: createOpenAI({ apiKey: 'demo', baseURL: emulator.openaiBaseURL }).chat('gpt-4o-mini'),
      middleware: tollgateMiddleware(budget),
    }),
  };
}
