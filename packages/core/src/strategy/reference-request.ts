import type { CallContext } from '../budget/call-context';
import { validateCount, validatePlainObject, validateQuantity } from '../errors/validation';
import { optionKeys } from '../errors/reject-unknown-keys';
import type { EstimateRequest } from '../estimate/estimate-cost';
import type { ServiceType } from '../usage';
import type { CostStrategy } from './cost-strategy';

/** What `budget.select()` ranks models for: a service, a strategy and a typical request. */
export interface SelectOptions {
  service: ServiceType;
  /** Default: the strategy of the current alert level. */
  strategy?: CostStrategy;
  providers?: readonly string[];
  minTier?: number;
  /** Tokens of this request (LLM and embeddings). Default 1,000 in and 500 out. */
  estimatedTokens?: number | { input: number; output?: number };
  audioSeconds?: number;
  characters?: number;
  context?: CallContext;
}

/** Every field of `select`'s options, so an unknown one (a typo) is refused. */
export const SELECT_OPTION_KEYS = optionKeys<SelectOptions>({
  service: true,
  strategy: true,
  providers: true,
  minTier: true,
  estimatedTokens: true,
  audioSeconds: true,
  characters: true,
  context: true,
});

/** The request a candidate model is priced with when models are compared for a call. */
export function referenceRequest(
  entry: { provider: string; model: string; service: ServiceType },
  options: Partial<SelectOptions>,
): EstimateRequest {
  const tokens = options.estimatedTokens ?? { input: 1_000, output: 500 };
  const input = typeof tokens === 'number' ? tokens : tokens.input;
  const output = typeof tokens === 'number' ? 500 : (tokens.output ?? 500);
  // The default token counts describe an LLM or embedding request: speech has no text prompt unless given.
  const textTokens =
    entry.service === 'llm' || entry.service === 'embedding' || options.estimatedTokens !== undefined;
  return {
    provider: entry.provider,
    model: entry.model,
    service: entry.service,
    inputTokens: textTokens ? input : 0,
    maxOutputTokens: output,
    audioSeconds: options.audioSeconds ?? 60,
    characters: options.characters ?? 1_000,
  };
}

export function validateSelectAmounts(options: SelectOptions): void {
  const tokens = options.estimatedTokens;
  if (typeof tokens === 'number') validateCount(tokens, 'estimatedTokens');
  else if (tokens !== undefined) {
    const given = validatePlainObject(tokens, 'estimatedTokens');
    validateCount(given.input, 'estimatedTokens.input');
    if (given.output !== undefined) validateCount(given.output, 'estimatedTokens.output');
  }
  if (options.audioSeconds !== undefined) validateQuantity(options.audioSeconds, 'audioSeconds', 1e7);
  if (options.characters !== undefined) validateCount(options.characters, 'characters');
}
