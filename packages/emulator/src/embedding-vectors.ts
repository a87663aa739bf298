/** FNV-1a, 32 bits: a stable seed from the input text. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small deterministic generator of floats in [0, 1). */
function randomSequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A unit-length vector that depends only on the input and the dimensions: the same
 * text always embeds to the same vector. Values are rounded to float32 so the float
 * and base64 encodings carry the same numbers.
 */
export function embeddingVector(input: string, dimensions: number): number[] {
  const next = randomSequence(hashText(input));
  const raw = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, value) => sum + value * value, 0)) || 1;
  return Array.from(Float32Array.from(raw, (value) => value / norm));
}

/** Little-endian float32 bytes in base64, as OpenAI's `encoding_format: 'base64'`. */
export function encodeEmbeddingBase64(vector: readonly number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString('base64');
}

/** The inputs of an embeddings request as strings; token arrays are keyed by their numbers. */
export function embeddingInputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [];
  if (input.length > 0 && input.every((item) => typeof item === 'number')) return [input.join(' ')];
  return input.map((item) => (typeof item === 'string' ? item : Array.isArray(item) ? item.join(' ') : ''));
}
