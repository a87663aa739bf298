import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server for the two Mistral endpoints the emulator does not serve
 * (`/v1/ocr`, `/v1/audio/speech`), answering with recorded-shape fixtures.
 * `x-fixture-error-status` makes a request fail with that status.
 */
export interface FixtureServer {
  readonly serverURL: string;
  readonly requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const requests: FixtureServer['requests'] = [];
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    const body = await readJson(request);
    requests.push({ path, body });
    const failure = Number(request.headers['x-fixture-error-status'] ?? 0);
    if (failure >= 400) {
      response.writeHead(failure, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          object: 'error',
          message: 'Injected failure.',
          type: 'internal_server_error',
          code: String(failure),
        }),
      );
      return;
    }
    if (path === '/v1/ocr') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(fixture('mistral-ocr-response.json')));
    } else if (path === '/v1/audio/speech' && body.stream === true) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = fixture('mistral-speech-events.json') as { event: string; data: unknown }[];
      const sent = request.headers['x-fixture-events']
        ? Number(request.headers['x-fixture-events'])
        : events.length;
      for (const event of events.slice(0, sent))
        response.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
      response.end();
    } else if (path === '/v1/audio/speech') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(fixture('mistral-speech-response.json')));
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ object: 'error', message: 'Not found.', type: 'not_found', code: '404' }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serverURL: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
