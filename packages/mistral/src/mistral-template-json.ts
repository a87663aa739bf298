/**
 * JSON as Mistral's chat templates write it into a prompt: mistral-common parses tool
 * arguments, tool results and tool definitions and writes them back with Python's
 * `json.dumps(value, ensure_ascii=False)`, which puts a space after every `,` and `:`.
 */
export interface TemplateJson {
  readonly text: string;
  /**
   * Tokens the text may be short of: Python writes a number with an exponent longer
   * (`1e5` as `100000.0`, `1e-7` as `1e-07`) than the text here keeps it.
   */
  readonly slackTokens: number;
}

// Python spells out a float with an exponent up to 16 digits before it switches to `e` notation.
const TOKENS_PER_EXPONENT_NUMBER = 16;

/** A JSON text (a tool's arguments or result) as the template writes it: parsed and spaced, or as a JSON string when it is not JSON. */
export function templateJsonOfText(text: string): TemplateJson {
  try {
    JSON.parse(text);
  } catch {
    return { text: JSON.stringify(text), slackTokens: 0 };
  }
  return spaced(text);
}

/** A value the SDK sends as JSON, as the template writes it. */
export function templateJsonOfValue(value: unknown): TemplateJson {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return text === undefined ? { text: 'null', slackTokens: 0 } : spaced(text);
}

/** Compact JSON text respaced the way Python writes it: whitespace outside strings dropped, `, ` and `: ` between items. */
function spaced(json: string): TemplateJson {
  let text = '';
  let slackTokens = 0;
  let index = 0;
  while (index < json.length) {
    const character = json[index]!;
    if (character === '"') {
      let end = index + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      text += json.slice(index, end + 1);
      index = end + 1;
    } else if (character === ',' || character === ':') {
      text += `${character} `;
      index += 1;
    } else if (character === ' ' || character === '\n' || character === '\r' || character === '\t') {
      index += 1;
    } else {
      let end = index + 1;
      while (end < json.length && /[0-9a-zA-Z.+-]/.test(json[end]!)) end += 1;
      const token = json.slice(index, end);
      if (/[eE]/.test(token) && /^-?\d/.test(token)) slackTokens += TOKENS_PER_EXPONENT_NUMBER;
      text += token;
      index = end;
    }
  }
  return { text, slackTokens };
}
