import { describe, expect, it } from 'vitest';
import { parseCliArguments } from './cli-arguments.js';

describe('parseCliArguments', () => {
  it('defaults to an ephemeral port on 127.0.0.1 without latency', () => {
    expect(parseCliArguments([])).toEqual({ action: 'serve', port: 0, host: '127.0.0.1', latencyMs: 0 });
  });

  it('reads --port, --host and --latency', () => {
    expect(parseCliArguments(['--port', '8787', '--host', '0.0.0.0', '--latency', '250'])).toEqual({
      action: 'serve',
      port: 8787,
      host: '0.0.0.0',
      latencyMs: 250,
    });
    expect(parseCliArguments(['-p', '9000'])).toMatchObject({ port: 9000 });
  });

  it('recognises --help and --version', () => {
    expect(parseCliArguments(['--help'])).toEqual({ action: 'help' });
    expect(parseCliArguments(['-h'])).toEqual({ action: 'help' });
    expect(parseCliArguments(['--version'])).toEqual({ action: 'version' });
    expect(parseCliArguments(['-v'])).toEqual({ action: 'version' });
  });

  it('rejects bad values and unknown options', () => {
    expect(() => parseCliArguments(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseCliArguments(['--port', '70000'])).toThrow(/65535/);
    expect(() => parseCliArguments(['--latency', '-5'])).toThrow();
    expect(() => parseCliArguments(['--verbose'])).toThrow();
  });
});
