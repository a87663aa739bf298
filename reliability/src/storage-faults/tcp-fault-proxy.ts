import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * - `pass`: bytes flow unchanged.
 * - `latency`: every chunk waits `latencyMs` before it is forwarded, in each direction.
 * - `blackhole`: connections are accepted and read, but nothing is forwarded or answered;
 *   what was read is held and delivered once the blackhole ends, as TCP retransmission
 *   would after a network partition heals (unless a side closed meanwhile).
 * - `reset`: every open connection and every new one is destroyed with a TCP RST.
 */
export type FaultMode = 'pass' | 'latency' | 'blackhole' | 'reset';

export interface TcpFaultProxyOptions {
  targetPort: number;
  /** Default `127.0.0.1`. */
  targetHost?: string;
  /** Default `pass`. */
  mode?: FaultMode;
  /** Delay per chunk and direction in `latency` mode. Default 0. */
  latencyMs?: number;
}

export interface TcpFaultProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly mode: FaultMode;
  /** Connections accepted so far, and how many of them were reset by the proxy. */
  readonly accepted: number;
  readonly reset: number;
  /** Connections open right now. */
  readonly open: number;
  /** Bytes read from either side and not forwarded yet (held by `latency` or `blackhole`). */
  readonly held: number;
  setMode(mode: FaultMode, options?: { latencyMs?: number }): void;
  close(): Promise<void>;
}

interface HeldChunk {
  readonly chunk: Buffer;
  readonly due: number;
}

/** One direction of one connection: a FIFO of chunks delivered when the mode allows. */
class Direction {
  private readonly queue: HeldChunk[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining = false;

  constructor(
    private readonly source: Socket,
    private readonly destination: Socket,
    private readonly proxy: { mode: FaultMode; latencyMs: number },
  ) {
    source.on('data', (chunk: Buffer) => {
      const delay = proxy.mode === 'latency' ? proxy.latencyMs : 0;
      // Never before an earlier chunk: the order of a TCP stream is kept whatever the delays.
      const previous = this.queue.at(-1)?.due ?? 0;
      this.queue.push({ chunk, due: Math.max(Date.now() + delay, previous) });
      this.pump();
    });
  }

  /** Bytes read and not forwarded yet. */
  get held(): number {
    return this.queue.reduce((bytes, held) => bytes + held.chunk.length, 0);
  }

  pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.draining || this.proxy.mode === 'blackhole' || this.proxy.mode === 'reset') return;
    while (this.queue.length > 0 && !this.destination.destroyed) {
      const head = this.queue[0]!;
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.queue.shift();
      if (!this.destination.write(head.chunk)) {
        this.draining = true;
        this.source.pause();
        this.destination.once('drain', () => {
          this.draining = false;
          this.source.resume();
          this.pump();
        });
        return;
      }
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

interface Connection {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly directions: readonly Direction[];
}

/**
 * A TCP proxy on 127.0.0.1 between a store's client and its server, whose fault mode a
 * test switches at run time. It binds an ephemeral port and forwards to the target.
 */
export async function startTcpFaultProxy(options: TcpFaultProxyOptions): Promise<TcpFaultProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const state = { mode: options.mode ?? 'pass', latencyMs: options.latencyMs ?? 0 };
  const connections = new Set<Connection>();
  let accepted = 0;
  let reset = 0;

  const resetConnection = (connection: Connection) => {
    if (!connections.delete(connection)) return;
    reset += 1;
    for (const direction of connection.directions) direction.stop();
    for (const socket of [connection.client, connection.upstream])
      if (!socket.destroyed) socket.resetAndDestroy();
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (state.mode === 'reset') {
      reset += 1;
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: options.targetPort });
    const connection: Connection = {
      client,
      upstream,
      directions: [new Direction(client, upstream, state), new Direction(upstream, client, state)],
    };
    connections.add(connection);
    const end = () => {
      if (!connections.delete(connection)) return;
      for (const direction of connection.directions) direction.stop();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    get mode() {
      return state.mode;
    },
    get accepted() {
      return accepted;
    },
    get reset() {
      return reset;
    },
    get open() {
      return connections.size;
    },
    get held() {
      let bytes = 0;
      for (const connection of connections)
        for (const direction of connection.directions) bytes += direction.held;
      return bytes;
    },
    setMode(mode, modeOptions = {}) {
      state.mode = mode;
      if (modeOptions.latencyMs !== undefined) state.latencyMs = modeOptions.latencyMs;
      for (const connection of [...connections]) {
        if (mode === 'reset') resetConnection(connection);
        else for (const direction of connection.directions) direction.pump();
      }
    },
    close() {
      for (const connection of [...connections]) resetConnection(connection);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
