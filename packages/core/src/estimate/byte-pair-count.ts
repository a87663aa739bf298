/** Byte-pair ranks: a token's bytes as a binary string (one character a byte) to its rank. */
export type ByteRanks = ReadonlyMap<string, number>;

const NO_MERGE = -1;

// Pieces up to this many bytes are merged by scanning for the lowest rank at each step (the
// fastest for the short pieces prose is made of); longer ones with a heap.
const SCAN_MAX_BYTES = 16;

// A heap entry is rank × POSITION_SPAN + the left part's start: ordering by it picks the lowest
// rank and, on a tie, the leftmost pair, as tiktoken does.
const POSITION_SPAN = 2 ** 21;

/** The longest piece the heap merge takes (a piece's positions must fit under POSITION_SPAN). */
export const HEAP_MERGE_MAX_BYTES = POSITION_SPAN - 1;

// Merge ranks of pairs of tokens met so far, keyed by the two token ranks: a lookup by two
// integers instead of slicing and hashing a string. Cleared when half full.
const PAIR_SLOTS = 2 ** 18;
const PAIR_MASK = PAIR_SLOTS - 1;

// Counts of pieces that are not tokens, as a word cache: text repeats its words, and merging
// a word costs more than looking it up. Cleared when full.
const PIECE_CACHE_SIZE = 32_768;
const PIECE_CACHE_MAX_BYTES = 64;

/**
 * Counts the tokens byte-pair encoding makes of one pre-token, as tiktoken does: a piece that
 * is a token is one token; otherwise the adjacent pair whose concatenation has the lowest rank
 * is merged, the leftmost first on a tie, until no pair is a token. Every part is a token
 * (single bytes have ranks), so a pair is known by its two ranks.
 */
export class BytePairCounter {
  readonly #ranks: ByteRanks;
  readonly #byteRanks = new Int32Array(256);
  readonly #pairLeft = new Int32Array(PAIR_SLOTS).fill(-1);
  readonly #pairRight = new Int32Array(PAIR_SLOTS);
  readonly #pairMerged = new Int32Array(PAIR_SLOTS);
  #pairs = 0;
  readonly #pieces = new Map<string, number>();
  #capacity = 0;
  #ids = new Int32Array(0);
  #next = new Int32Array(0);
  #previous = new Int32Array(0);
  #pairRank = new Int32Array(0);
  #heap = new Float64Array(0);

  constructor(ranks: ByteRanks) {
    this.#ranks = ranks;
    for (let byte = 0; byte < 256; byte++) {
      const rank = ranks.get(String.fromCharCode(byte));
      if (rank === undefined) throw new RangeError(`byte ${byte} has no rank: not a byte-level vocabulary`);
      this.#byteRanks[byte] = rank;
    }
    this.#grow(SCAN_MAX_BYTES);
  }

  /** The token count of `piece`, a binary string (one character a byte). */
  count(piece: string): number {
    if (piece.length <= 1 || this.#ranks.has(piece)) return piece.length === 0 ? 0 : 1;
    if (piece.length > PIECE_CACHE_MAX_BYTES) return this.heapCount(piece);
    const cached = this.#pieces.get(piece);
    if (cached !== undefined) return cached;
    const tokens = piece.length <= SCAN_MAX_BYTES ? this.scanCount(piece) : this.heapCount(piece);
    if (this.#pieces.size >= PIECE_CACHE_SIZE) this.#pieces.clear();
    this.#pieces.set(piece, tokens);
    return tokens;
  }

  /** tiktoken's merge loop, quadratic in the piece's length (exported for tests). */
  scanCount(piece: string): number {
    const length = piece.length;
    if (this.#capacity < length) this.#grow(length);
    const starts = this.#next;
    const ids = this.#ids;
    const pairRanks = this.#pairRank;
    for (let index = 0; index < length; index++) {
      starts[index] = index;
      ids[index] = this.#byteRanks[piece.charCodeAt(index)]!;
    }
    starts[length] = length;
    let parts = length;
    for (let index = 0; index + 1 < parts; index++)
      pairRanks[index] = this.#merged(ids[index]!, ids[index + 1]!, piece, index, index + 2);
    while (parts > 1) {
      let lowest = NO_MERGE;
      let at = -1;
      for (let index = 0; index + 1 < parts; index++) {
        const rank = pairRanks[index]!;
        if (rank !== NO_MERGE && (lowest === NO_MERGE || rank < lowest)) {
          lowest = rank;
          at = index;
        }
      }
      if (at < 0) break;
      // Part `at` absorbs part `at + 1` and becomes the token `lowest`.
      ids[at] = lowest;
      for (let index = at + 1; index < parts; index++) {
        starts[index] = starts[index + 1]!;
        ids[index] = ids[index + 1]!;
      }
      for (let index = at + 1; index + 2 < parts; index++) pairRanks[index] = pairRanks[index + 1]!;
      parts -= 1;
      if (at > 0)
        pairRanks[at - 1] = this.#merged(ids[at - 1]!, lowest, piece, starts[at - 1]!, starts[at + 1]!);
      if (at + 1 < parts)
        pairRanks[at] = this.#merged(lowest, ids[at + 1]!, piece, starts[at]!, starts[at + 2]!);
    }
    return parts;
  }

  /**
   * The same merges as `scanCount` in O(n log n): the parts form a linked list, and a heap
   * holds each adjacent pair's rank; an entry made stale by a merge is skipped when it comes up.
   */
  heapCount(piece: string): number {
    const length = piece.length;
    if (length > HEAP_MERGE_MAX_BYTES) throw new RangeError(`piece of ${length} bytes is too long to merge`);
    if (this.#capacity < length) this.#grow(length);
    // A part starts at byte `start`, ends where `next[start]` starts and is the token
    // `ids[start]`; `pairRank[start]` is the rank of it merged with the next part.
    const next = this.#next;
    const previous = this.#previous;
    const ids = this.#ids;
    const pairRank = this.#pairRank;
    const heap = this.#heap;
    let heapSize = 0;
    for (let start = 0; start < length; start++) {
      next[start] = start + 1;
      previous[start] = start - 1;
      ids[start] = this.#byteRanks[piece.charCodeAt(start)]!;
    }
    for (let start = 0; start < length; start++) {
      const rank =
        start + 1 < length ? this.#merged(ids[start]!, ids[start + 1]!, piece, start, start + 2) : NO_MERGE;
      pairRank[start] = rank;
      if (rank !== NO_MERGE) heapPush(heap, heapSize++, rank * POSITION_SPAN + start);
    }
    let parts = length;
    while (heapSize > 0) {
      const key = heapPop(heap, heapSize--);
      const start = key % POSITION_SPAN;
      const rank = (key - start) / POSITION_SPAN;
      // Stale: the part was absorbed (its rank set to NO_MERGE), or its pair's rank changed.
      if (pairRank[start] !== rank) continue;
      const absorbed = next[start]!;
      const after = next[absorbed]!;
      next[start] = after;
      if (after < length) previous[after] = start;
      pairRank[absorbed] = NO_MERGE;
      ids[start] = rank;
      parts -= 1;
      const merged = after < length ? this.#merged(rank, ids[after]!, piece, start, next[after]!) : NO_MERGE;
      pairRank[start] = merged;
      if (merged !== NO_MERGE) heapPush(heap, heapSize++, merged * POSITION_SPAN + start);
      const before = previous[start]!;
      if (before >= 0) {
        const mergedBefore = this.#merged(ids[before]!, rank, piece, before, after);
        pairRank[before] = mergedBefore;
        if (mergedBefore !== NO_MERGE) heapPush(heap, heapSize++, mergedBefore * POSITION_SPAN + before);
      }
    }
    return parts;
  }

  /** The rank of tokens `left` and `right` (bytes `start`–`end` of `piece`) merged, or NO_MERGE. */
  #merged(left: number, right: number, piece: string, start: number, end: number): number {
    let hash = Math.imul(left, 0x9e3779b1) + right;
    hash = Math.imul(hash ^ (hash >>> 15), 0x85ebca77);
    let slot = (hash ^ (hash >>> 13)) & PAIR_MASK;
    for (;;) {
      const stored = this.#pairLeft[slot]!;
      if (stored === -1) break;
      if (stored === left && this.#pairRight[slot] === right) return this.#pairMerged[slot]!;
      slot = (slot + 1) & PAIR_MASK;
    }
    const merged = this.#ranks.get(piece.slice(start, end)) ?? NO_MERGE;
    if (this.#pairs >= PAIR_SLOTS / 2) {
      this.#pairLeft.fill(-1);
      this.#pairs = 0;
      return merged;
    }
    this.#pairLeft[slot] = left;
    this.#pairRight[slot] = right;
    this.#pairMerged[slot] = merged;
    this.#pairs += 1;
    return merged;
  }

  #grow(length: number): void {
    this.#capacity = Math.max(length, 2 * this.#capacity);
    this.#ids = new Int32Array(this.#capacity + 1);
    this.#next = new Int32Array(this.#capacity + 1);
    this.#previous = new Int32Array(this.#capacity + 1);
    this.#pairRank = new Int32Array(this.#capacity);
    // Each merge pushes at most two entries.
    this.#heap = new Float64Array(3 * this.#capacity);
  }
}

/** Adds `key` to the binary min-heap `heap[0 … size)`. */
function heapPush(heap: Float64Array, size: number, key: number): void {
  let index = size;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]! <= key) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = key;
}

/** Removes and returns the smallest key of the binary min-heap `heap[0 … size)`. */
function heapPop(heap: Float64Array, size: number): number {
  const top = heap[0]!;
  const last = heap[size - 1]!;
  const remaining = size - 1;
  let index = 0;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= remaining) break;
    if (child + 1 < remaining && heap[child + 1]! < heap[child]!) child += 1;
    if (heap[child]! >= last) break;
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = last;
  return top;
}
