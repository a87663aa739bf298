/** Framing tokens per message (role markers), and for a system prompt. */
export const MESSAGE_FRAMING_TOKENS = 4;
/** The hidden system prompt the API adds when a request has tools (313–346 tokens for Claude 4 models). */
export const TOOL_USE_SYSTEM_PROMPT_TOKENS = 350;
/** An image costs about width × height / 750 tokens; images are scaled down to about 1,600 tokens at most. */
export const IMAGE_TOKENS = 1_600;
/** A PDF page is billed as its text plus an image of the page: 1,500 to 3,000 tokens. */
export const PDF_PAGE_TOKENS = 3_000;

/** What core's gate needs to count a prompt locally: texts (counted conservatively) and fixed extra tokens. */
export interface PromptEstimate {
  readonly texts: string[];
  readonly overheadTokens: number;
}

interface Tally {
  texts: string[];
  overheadTokens: number;
}

type Block = Record<string, unknown>;

function isRecord(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A conservative local count of a Messages request's prompt: the system prompt, the
 * text of every message block (tool inputs and results included), and the tool
 * definitions as JSON, plus fixed allowances for framing, the tool-use system prompt,
 * images and PDF pages. The text is only counted, never kept.
 */
export function estimateAnthropicPrompt(params: Record<string, unknown>): PromptEstimate {
  const tally: Tally = { texts: [], overheadTokens: 0 };
  const { system, messages, tools } = params;
  if (system !== undefined && system !== null) {
    tally.overheadTokens += MESSAGE_FRAMING_TOKENS;
    addContent(system, tally);
  }
  if (Array.isArray(messages)) {
    for (const message of messages) {
      tally.overheadTokens += MESSAGE_FRAMING_TOKENS;
      if (isRecord(message)) addContent(message.content, tally);
    }
  }
  if (Array.isArray(tools) && tools.length > 0) {
    tally.texts.push(JSON.stringify(tools));
    tally.overheadTokens += TOOL_USE_SYSTEM_PROMPT_TOKENS;
  }
  return tally;
}

function addContent(content: unknown, tally: Tally): void {
  if (typeof content === 'string') {
    tally.texts.push(content);
  } else if (Array.isArray(content)) {
    for (const block of content) addContent(block, tally);
  } else if (isRecord(content)) {
    addBlock(content, tally);
  }
}

function addText(value: unknown, tally: Tally): void {
  if (typeof value === 'string' && value.length > 0) tally.texts.push(value);
}

function addBlock(block: Block, tally: Tally): void {
  switch (block.type) {
    case 'text':
      addText(block.text, tally);
      return;
    case 'image':
      tally.overheadTokens += IMAGE_TOKENS;
      return;
    case 'document':
      addText(block.title, tally);
      addText(block.context, tally);
      addDocumentSource(block.source, tally);
      return;
    case 'thinking':
      addText(block.thinking, tally);
      return;
    case 'redacted_thinking':
      addText(block.data, tally);
      return;
    case 'search_result':
      addText(block.title, tally);
      addText(block.source, tally);
      addContent(block.content, tally);
      return;
    default:
      addOtherBlock(block, tally);
  }
}

/** Fields that are identifiers or markers, not prompt text. */
const NOT_TEXT = new Set([
  'type',
  'id',
  'tool_use_id',
  'signature',
  'cache_control',
  'media_type',
  'citations',
  'source',
]);

/**
 * Tool uses, tool results, server tool results and blocks tollgate does not know:
 * every text field (encrypted search results included: they are billed as input),
 * tool inputs as JSON, nested content block by block.
 */
function addOtherBlock(block: Block, tally: Tally): void {
  for (const [field, value] of Object.entries(block)) {
    if (NOT_TEXT.has(field)) continue;
    if (field === 'input')
      tally.texts.push(typeof value === 'string' ? value : JSON.stringify(value ?? null));
    else if (typeof value === 'string') addText(value, tally);
    else if (Array.isArray(value) || isRecord(value)) addContent(value, tally);
  }
}

function addDocumentSource(source: unknown, tally: Tally): void {
  if (!isRecord(source)) return;
  switch (source.type) {
    case 'text':
      addText(source.data, tally);
      return;
    case 'content':
      addContent(source.content, tally);
      return;
    case 'base64':
      tally.overheadTokens +=
        PDF_PAGE_TOKENS * (typeof source.data === 'string' ? pdfPageCount(source.data) : 1);
      return;
    default:
      // A URL or an uploaded file: its size is unknown here (`estimateWith: 'countTokens'` knows it).
      tally.overheadTokens += PDF_PAGE_TOKENS;
  }
}

/** Pages of a base64 PDF, from its page objects; one page when they are compressed out of sight. */
export function pdfPageCount(base64: string): number {
  const text = Buffer.from(base64, 'base64').toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  return Math.max(1, pages);
}
