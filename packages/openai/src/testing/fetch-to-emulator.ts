import type { Emulator } from '@tollgate/emulator';

/**
 * A `fetch` for an SDK client whose `baseURL` names a real host (`https://api.groq.com/openai/v1`):
 * each request goes to the emulator's OpenAI API instead, with the path after the base URL's
 * (an Azure `/deployments/<name>` segment left out) under `/v1`, so the client runs offline
 * exactly as it would against that host. `sent` receives each URL the client asked for.
 */
export function fetchToEmulator(
  emulator: Emulator,
  baseURL: string,
  sent: (url: URL) => void = () => {},
): typeof fetch {
  const basePath = new URL(baseURL).pathname.replace(/\/+$/, '');
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent(url);
    const path = (
      url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname
    ).replace(/^\/deployments\/[^/]+/, '');
    return fetch(`${emulator.openaiBaseURL}${path}${url.search}`, init);
  };
}
