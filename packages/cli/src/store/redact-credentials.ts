// `scheme://user:password@host` — the password never reaches the terminal.
const CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/gi;

export function redactCredentials(text: string): string {
  return text.replace(CREDENTIALS, '$1:***@');
}
