import { readFileSync } from 'node:fs';
import { resolveOnFirstUse } from '../load-on-first-use';

/**
 * Tekken's byte-pair ranks: each token's bytes as a binary string (one character a byte) to its
 * rank, the lower the earlier it merges.
 */
export type TekkenRanks = ReadonlyMap<string, number>;

let ranks: Map<string, number> | undefined;

/**
 * The 130,072 byte-pair ranks of Tekken (tekken_240718.json, the vocabulary every Tekken model
 * shares), read on first use from `tekken-vocabulary.bin`: each token as one length byte and its
 * bytes, in rank order. `scripts/tekken-reference-data.py` writes the file from mistral-common.
 */
export function tekkenRanks(): TekkenRanks {
  if (ranks) return ranks;
  const data = readFileSync(resolveOnFirstUse('./estimate/tekken-vocabulary.bin'));
  const loaded = new Map<string, number>();
  let offset = 0;
  while (offset < data.length) {
    const length = data[offset]!;
    loaded.set(data.toString('latin1', offset + 1, offset + 1 + length), loaded.size);
    offset += 1 + length;
  }
  ranks = loaded;
  return ranks;
}

/** Whether the vocabulary has been read (for the test that it is not read at import). */
export function isTekkenVocabularyLoaded(): boolean {
  return ranks !== undefined;
}
