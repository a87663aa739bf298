import picocolors from 'picocolors';
import type { OutputStream } from '../cli-io';

export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Whether to colour the output: `--color` / `--no-color` win, then NO_COLOR (any
 * non-empty value, as no-color.org asks), then FORCE_COLOR, then whether the output is
 * a terminal. Unlike picocolors' own check, a CI environment alone does not turn colour on.
 */
export function colorEnabled(
  option: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stream: OutputStream,
): boolean {
  if (option !== undefined) return option;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}
