import { parseArgs } from 'node:util';

export const CLI_USAGE = `Usage: tollgate-emulator [--port N] [--host HOST] [--latency MS]

Serves emulated OpenAI, Anthropic, Mistral and Gemini APIs until SIGINT or SIGTERM.
  --port, -p N    port to listen on (default 0: a free port)
  --host HOST     interface to listen on (default 127.0.0.1)
  --latency MS    delay before each response and before each stream chunk (default 0)
  --version, -v   print the version
  --help, -h      show this help`;

export type CliArguments =
  | { action: 'help' }
  | { action: 'version' }
  | { action: 'serve'; port: number; host: string; latencyMs: number };

function parseCount(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

/** Parses the command line (without the node and script paths); throws on bad input. */
export function parseCliArguments(args: string[]): CliArguments {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      latency: { type: 'string' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  const port = parseCount('port', values.port, 0);
  if (port > 65_535) throw new Error(`--port must be at most 65535, got ${port}`);
  return {
    action: 'serve',
    port,
    host: values.host ?? '127.0.0.1',
    latencyMs: parseCount('latency', values.latency, 0),
  };
}
