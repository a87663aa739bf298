/** A number written as given into a JSON text (`1e400`, which JSON.stringify cannot write). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** The JSON text of a value whose numbers may be `RawNumber`s. */
export function jsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
