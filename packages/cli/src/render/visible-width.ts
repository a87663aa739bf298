// Colour codes take no room on the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes start with the escape character.
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}

/** Terminal columns a string takes; tollgate prints no wide (CJK, emoji) characters of its own. */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}
