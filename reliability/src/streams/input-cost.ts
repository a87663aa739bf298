import { type BudgetManager, lineItemCost, type NanoUsd } from '@tollgate/core';
import { EMULATOR_HEADERS, type RecordedRequest } from '@tollgate/emulator';

/**
 * The input cost of one stream: the prompt tokens the emulator billed for the request (read
 * back from its request log: the count it was told to bill, which is the real provider's
 * tokenizer count of the prompt texts) priced at the served model's input rate. A provider
 * bills the prompt of every request it started to answer, however the stream ends, so a
 * record below this lets spend escape the budget.
 */
export function inputCostOf(
  budget: BudgetManager,
  provider: string,
  model: string,
  request: RecordedRequest,
): { billedInputTokens: number; inputCost: NanoUsd } {
  const billedInputTokens = Number(request.headers[EMULATOR_HEADERS.inputTokens]);
  if (!Number.isSafeInteger(billedInputTokens) || billedInputTokens <= 0)
    throw new Error(`the emulator's log has no billed input count for ${request.path}`);
  const rate = budget.catalog.resolve(provider, model)?.price.rates.input;
  if (!rate) throw new Error(`the catalog has no input price for ${provider}/${model}`);
  return { billedInputTokens, inputCost: lineItemCost(billedInputTokens, rate) };
}
