const REPLY_WORDS = [
  'Lorem',
  'ipsum',
  'dolor',
  'sit',
  'amet,',
  'consectetur',
  'adipiscing',
  'elit,',
  'sed',
  'do',
  'eiusmod',
  'tempor',
  'incididunt',
  'ut',
  'labore',
  'et',
  'dolore',
  'magna',
  'aliqua.',
  'Ut',
  'enim',
  'ad',
  'minim',
  'veniam,',
  'quis',
  'nostrud',
  'exercitation',
  'ullamco',
  'laboris',
  'nisi',
  'ut',
  'aliquip',
  'ex',
  'ea',
  'commodo',
  'consequat.',
];

const THINKING_WORDS = [
  'Let',
  'me',
  'think',
  'about',
  'this',
  'step',
  'by',
  'step.',
  'First,',
  'consider',
  'what',
  'the',
  'request',
  'asks',
  'for,',
  'then',
  'check',
  'each',
  'part',
  'carefully.',
];

function wordTokens(words: readonly string[], count: number): string[] {
  const tokens: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const word = words[index % words.length]!;
    tokens.push(index === 0 ? word : ` ${word}`);
  }
  return tokens;
}

/**
 * The reply split into exactly `count` tokens: one word each, every word after the
 * first with its leading space, so joining the tokens gives the full reply text.
 */
export function replyTokens(count: number): string[] {
  return wordTokens(REPLY_WORDS, count);
}

/** The visible reasoning ("thinking") text split into exactly `count` tokens. */
export function thinkingTokens(count: number): string[] {
  return wordTokens(THINKING_WORDS, count);
}
