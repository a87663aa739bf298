import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTcpFaultProxy, type TcpFaultProxy } from './tcp-fault-proxy';

let echoServer: Server;
let echoPort: number;
const serverSockets = new Set<Socket>();
const clientSockets = new Set<Socket>();

beforeAll(async () => {
  echoServer = createServer((socket) => {
    serverSockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => serverSockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve));
  echoPort = (echoServer.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of [...clientSockets, ...serverSockets]) socket.destroy();
  await new Promise((resolve) => echoServer.close(resolve));
});

/** A client socket whose received text and error are collected. */
async function open(proxy: TcpFaultProxy) {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  clientSockets.add(socket);
  const received: string[] = [];
  const connection = { socket, received, error: undefined as NodeJS.ErrnoException | undefined };
  socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
  socket.on('error', (error) => {
    connection.error = error;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return connection;
}

/** Waits until `condition` holds, or gives up after `timeoutMs`; returns whether it held. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

it('pass: forwards both ways unchanged', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort });
  try {
    const first = await open(proxy);
    const second = await open(proxy);
    first.socket.write('hello');
    second.socket.write('world');
    expect(await waitFor(() => first.received.join('') === 'hello', 5_000)).toBe(true);
    expect(await waitFor(() => second.received.join('') === 'world', 5_000)).toBe(true);
    expect([proxy.accepted, proxy.open, proxy.reset]).toEqual([2, 2, 0]);
  } finally {
    await proxy.close();
  }
});

it('latency: delays each direction by at least the latency, and keeps the byte order when it changes', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort, mode: 'latency', latencyMs: 150 });
  try {
    const connection = await open(proxy);
    const started = performance.now();
    connection.socket.write('slow');
    expect(await waitFor(() => connection.received.join('') === 'slow', 5_000)).toBe(true);
    // Node may fire a timer up to a millisecond early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150 - 2);

    connection.received.length = 0;
    proxy.setMode('latency', { latencyMs: 300 });
    connection.socket.write('1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    proxy.setMode('pass');
    connection.socket.write('2');
    expect(await waitFor(() => connection.received.join('') === '12', 5_000)).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('blackhole: open and new connections stall, and what they sent arrives once it ends', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort });
  try {
    const existing = await open(proxy);
    proxy.setMode('blackhole');
    const fresh = await open(proxy);
    existing.socket.write('held-1');
    fresh.socket.write('held-2');
    expect(await waitFor(() => existing.received.length + fresh.received.length > 0, 500)).toBe(false);
    expect([existing.error, fresh.error]).toEqual([undefined, undefined]);

    proxy.setMode('pass');
    expect(await waitFor(() => existing.received.join('') === 'held-1', 5_000)).toBe(true);
    expect(await waitFor(() => fresh.received.join('') === 'held-2', 5_000)).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('blackhole: a connection closed during the blackhole never delivers what it sent', async () => {
  let receivedByServer = '';
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      receivedByServer += chunk.toString();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startTcpFaultProxy({
    targetPort: (server.address() as AddressInfo).port,
    mode: 'blackhole',
  });
  try {
    const connection = await open(proxy);
    connection.socket.write('lost');
    await new Promise((resolve) => setTimeout(resolve, 100));
    connection.socket.destroy();
    expect(await waitFor(() => proxy.open === 0, 5_000)).toBe(true);
    proxy.setMode('pass');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receivedByServer).toBe('');
  } finally {
    await proxy.close();
    server.close();
  }
});

it('reset: open connections and new ones get a TCP reset', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort });
  try {
    const existing = await open(proxy);
    existing.socket.write('before');
    expect(await waitFor(() => existing.received.join('') === 'before', 5_000)).toBe(true);
    proxy.setMode('reset');
    expect(await waitFor(() => existing.error !== undefined, 5_000)).toBe(true);
    expect(existing.error?.code).toBe('ECONNRESET');

    const refused = connect({ host: '127.0.0.1', port: proxy.port });
    clientSockets.add(refused);
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      refused.on('error', resolve);
      refused.on('close', () => resolve(undefined));
    });
    expect(error?.code).toBe('ECONNRESET');
    expect(proxy.reset).toBe(2);
    expect(proxy.open).toBe(0);

    proxy.setMode('pass');
    const after = await open(proxy);
    after.socket.write('after');
    expect(await waitFor(() => after.received.join('') === 'after', 5_000)).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('close: resets what is open and stops listening', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort });
  const connection = await open(proxy);
  await proxy.close();
  expect(await waitFor(() => connection.socket.destroyed, 5_000)).toBe(true);
  expect(proxy.open).toBe(0);
  const late = connect({ host: '127.0.0.1', port: proxy.port });
  clientSockets.add(late);
  const error = await new Promise<NodeJS.ErrnoException>((resolve) => late.on('error', resolve));
  expect(error.code).toBe('ECONNREFUSED');
});
