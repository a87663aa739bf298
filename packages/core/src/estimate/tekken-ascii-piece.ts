// Character classes of ASCII under Tekken's pre-tokenizer pattern.
const OTHER = 0; // punctuation and control characters: [^\s\p{L}\p{N}]
const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;
const SPACE = 4; // \t \v \f and ' '
const NEWLINE = 5; // \r \n

const CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  CLASS[code] =
    code >= 0x41 && code <= 0x5a
      ? UPPER
      : code >= 0x61 && code <= 0x7a
        ? LOWER
        : code >= 0x30 && code <= 0x39
          ? DIGIT
          : code === 0x0a || code === 0x0d
            ? NEWLINE
            : code === 0x09 || code === 0x0b || code === 0x0c || code === 0x20
              ? SPACE
              : OTHER;
}

const UNDECIDED = -1;
// Past the end of the text: a class no run continues into.
const END = 6;
const NON_ASCII = 7;

function classAt(text: string, index: number): number {
  if (index >= text.length) return END;
  const code = text.charCodeAt(index);
  return code < 128 ? CLASS[code]! : NON_ASCII;
}

/**
 * Where the pre-token that starts at `start` ends, as Tekken's pattern splits the text, when
 * that is decided by ASCII characters alone; `UNDECIDED` (-1) when a character that decides it
 * is not ASCII (a letter, mark, space or punctuation of Unicode could continue the run), and
 * the pattern itself must say. The alternatives, in the pattern's order:
 * 1–2. an optional character that is not a letter, digit or newline, then upper-case letters,
 *      then lower-case letters, at least one letter;
 * 3.   one digit;
 * 4.   an optional space, punctuation, then newlines and slashes;
 * 5.   whitespace up to its last newline;
 * 6.   whitespace up to the end, or all but its last character before something else;
 * 7.   whitespace.
 */
export function asciiPieceEnd(text: string, start: number): number {
  const first = classAt(text, start);
  if (first === NON_ASCII || first === END) return UNDECIDED;
  if (first === UPPER || first === LOWER) return letterRunEnd(text, start);
  if (first === DIGIT) return start + 1;
  const second = classAt(text, start + 1);
  if (first !== NEWLINE && (second === UPPER || second === LOWER)) return letterRunEnd(text, start + 1);
  if (second === NON_ASCII && first !== NEWLINE) return UNDECIDED;
  if (first === OTHER) return punctuationRunEnd(text, start);
  if (text.charCodeAt(start) === 0x20 && second === OTHER) return punctuationRunEnd(text, start + 1);
  // Whitespace: alternatives 5 to 7.
  let end = start;
  let lastNewline = -1;
  let kind = first;
  while (kind === SPACE || kind === NEWLINE) {
    if (kind === NEWLINE) lastNewline = end;
    end += 1;
    kind = classAt(text, end);
  }
  if (kind === NON_ASCII) return UNDECIDED;
  if (lastNewline >= 0) return lastNewline + 1;
  if (kind === END) return end;
  return end - start >= 2 ? end - 1 : end;
}

function letterRunEnd(text: string, from: number): number {
  let end = from;
  let kind = classAt(text, end);
  while (kind === UPPER) kind = classAt(text, ++end);
  while (kind === LOWER) kind = classAt(text, ++end);
  return kind === NON_ASCII ? UNDECIDED : end;
}

function punctuationRunEnd(text: string, from: number): number {
  let end = from;
  let kind = classAt(text, end);
  while (kind === OTHER) kind = classAt(text, ++end);
  if (kind === NON_ASCII) return UNDECIDED;
  for (;;) {
    const code = text.charCodeAt(end);
    if (code !== 0x0a && code !== 0x0d && code !== 0x2f) return end;
    end += 1;
  }
}
