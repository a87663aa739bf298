/**
 * The model id the catalog prices: the SDK takes `gemini-2.5-flash` and `models/gemini-2.5-flash`
 * alike. Anything that is not a string is left for the gate to refuse.
 */
export function googleModelId(model: unknown): string {
  return typeof model === 'string' && model.startsWith('models/')
    ? model.slice('models/'.length)
    : (model as string);
}
