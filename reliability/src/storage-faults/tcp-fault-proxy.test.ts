import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
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

/**
 * Waits until `condition` holds, or gives up after `timeoutMs`; returns whether it held. It polls
 * on `setImmediate` and `performance.now()`, which the latency test's fake clock leaves alone.
 */
async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setImmediate(resolve));
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
    expect(await waitFor(() => first.received.join('') === 'hello')).toBe(true);
    expect(await waitFor(() => second.received.join('') === 'world')).toBe(true);
    expect([proxy.accepted, proxy.open, proxy.reset]).toEqual([2, 2, 0]);
  } finally {
    await proxy.close();
  }
});

it('latency: holds each chunk for the latency on its clock, in each direction, and keeps the byte order when it changes', async () => {
  // The proxy's clock (Date and setTimeout) is the test's to move: what is checked is what the
  // proxy holds and what it has delivered at each moment of that clock, not how long anything took.
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  const proxy = await startTcpFaultProxy({ targetPort: echoPort, mode: 'latency', latencyMs: 150 });
  try {
    const connection = await open(proxy);
    connection.socket.write('slow');
    expect(await waitFor(() => proxy.held === 4)).toBe(true);
    await vi.advanceTimersByTimeAsync(149);
    expect(proxy.held).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(proxy.held).toBe(0);
    // The echo, on its way back, is held as long.
    expect(await waitFor(() => proxy.held === 4)).toBe(true);
    await vi.advanceTimersByTimeAsync(149);
    expect([proxy.held, connection.received.join('')]).toEqual([4, '']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waitFor(() => connection.received.join('') === 'slow')).toBe(true);

    connection.received.length = 0;
    proxy.setMode('latency', { latencyMs: 300 });
    connection.socket.write('1');
    expect(await waitFor(() => proxy.held === 1)).toBe(true);
    proxy.setMode('pass');
    connection.socket.write('2');
    // '2' waits behind '1', which is still held.
    expect(await waitFor(() => proxy.held === 2)).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(await waitFor(() => connection.received.join('') === '12')).toBe(true);
  } finally {
    vi.useRealTimers();
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
    // The proxy has read both and forwarded neither.
    expect(await waitFor(() => proxy.held === 12)).toBe(true);
    expect([existing.received, fresh.received]).toEqual([[], []]);
    expect([existing.error, fresh.error]).toEqual([undefined, undefined]);

    proxy.setMode('pass');
    expect(await waitFor(() => existing.received.join('') === 'held-1')).toBe(true);
    expect(await waitFor(() => fresh.received.join('') === 'held-2')).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('blackhole: a connection closed during the blackhole never delivers what it sent', async () => {
  let receivedByServer = '';
  let serverConnections = 0;
  let serverSideClosed = false;
  const server = createServer((socket) => {
    serverConnections += 1;
    socket.on('data', (chunk: Buffer) => {
      receivedByServer += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      serverSideClosed = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startTcpFaultProxy({
    targetPort: (server.address() as AddressInfo).port,
    mode: 'blackhole',
  });
  try {
    const connection = await open(proxy);
    expect(await waitFor(() => serverConnections === 1)).toBe(true);
    connection.socket.write('lost');
    expect(await waitFor(() => proxy.held === 4)).toBe(true);
    connection.socket.destroy();
    // The proxy closed the server's side too: nothing can arrive there any more.
    expect(await waitFor(() => serverSideClosed)).toBe(true);
    expect(proxy.open).toBe(0);
    proxy.setMode('pass');
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
    expect(await waitFor(() => existing.received.join('') === 'before')).toBe(true);
    proxy.setMode('reset');
    expect(await waitFor(() => existing.error !== undefined)).toBe(true);
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
    expect(await waitFor(() => after.received.join('') === 'after')).toBe(true);
  } finally {
    await proxy.close();
  }
});

it('close: resets what is open and stops listening', async () => {
  const proxy = await startTcpFaultProxy({ targetPort: echoPort });
  const connection = await open(proxy);
  await proxy.close();
  expect(await waitFor(() => connection.socket.destroyed)).toBe(true);
  expect(proxy.open).toBe(0);
  const late = connect({ host: '127.0.0.1', port: proxy.port });
  clientSockets.add(late);
  const error = await new Promise<NodeJS.ErrnoException>((resolve) => late.on('error', resolve));
  expect(error.code).toBe('ECONNREFUSED');
});
