/** What a run of the command reads and writes; the real process in `cli.ts`, anything in tests. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface OutputStream {
  /** false when the stream's buffer is full: wait for `drain` before writing more (if it has `once`). */
  write(text: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}
