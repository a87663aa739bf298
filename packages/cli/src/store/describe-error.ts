import { redactCredentials } from './redact-credentials';

/** An error and its causes as one line: `The SQLite database could not be opened: file is not a database`. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    const trimmed = message.trim().replace(/\.$/, '');
    if (trimmed && !parts.some((part) => part.includes(trimmed))) parts.push(trimmed);
    current = current instanceof Error ? current.cause : undefined;
  }
  return redactCredentials(parts.join(': ').split('\n')[0] ?? '');
}
