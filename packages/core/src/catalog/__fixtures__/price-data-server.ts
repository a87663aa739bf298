import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Provider } from '@pydantic/genai-prices';

/** What the server answers: a body with its status and content type, or nothing at all (a server that hangs). */
export type PriceDataAnswer =
  | { readonly status?: number; readonly contentType?: string; readonly body: string | Uint8Array }
  | 'hang';

/** A local HTTP server on 127.0.0.1 that serves price data, for the update path's tests. */
export interface PriceDataServer {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Requests received and not answered (hanging); an `answer` that is not `'hang'` answers them too. */
  readonly hanging: number;
  answer(answer: PriceDataAnswer): void;
  /** Resolves once this many requests in total have been received. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPriceDataServer(): Promise<PriceDataServer> {
  let current: PriceDataAnswer = { status: 404, contentType: 'text/plain', body: 'not set' };
  let requests = 0;
  const listeners = new Set<() => void>();
  const waiting = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    for (const listener of listeners) listener();
    request.resume();
    if (current === 'hang') {
      waiting.add(response);
      response.once('close', () => waiting.delete(response));
      return;
    }
    send(response, current);
  });
  const send = (response: ServerResponse, current: Exclude<PriceDataAnswer, 'hang'>) => {
    const body = typeof current.body === 'string' ? Buffer.from(current.body) : Buffer.from(current.body);
    response.writeHead(current.status ?? 200, {
      'content-type': current.contentType ?? 'text/plain; charset=utf-8',
      'content-length': body.byteLength,
    });
    response.end(body);
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/prices/data.json`,
    get requests() {
      return requests;
    },
    get hanging() {
      return waiting.size;
    },
    answer(answer) {
      current = answer;
      if (answer === 'hang') return;
      for (const response of waiting) send(response, answer);
      waiting.clear();
    },
    received(count) {
      return new Promise((resolve) => {
        const check = () => {
          if (requests < count) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      });
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The bundled data with new prices for one model, as genai-prices' published file would carry
 * them: the data a fetch brings in the tests.
 */
export function withModelPrice(
  bundled: readonly Provider[],
  providerId: string,
  modelId: string,
  prices: Record<string, number>,
): Provider[] {
  const copy = structuredClone(bundled) as Provider[];
  const model = copy
    .find((provider) => provider.id === providerId)
    ?.models.find((entry) => entry.id === modelId);
  if (!model) throw new Error(`${providerId}/${modelId} is not in the bundled data`);
  model.prices = prices;
  return copy;
}
