import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { type Colors, colorEnabled, createColors } from '../render/colors';

export interface OutputStyle {
  readonly colors: Colors;
  /** Terminal columns (80 when the output is not a terminal). */
  readonly width: number;
}

/** Colours and width for a command's text output, from the global `--color` / `--no-color` and the environment. */
export function outputStyle(command: Command, io: CliIo): OutputStyle {
  const { color } = command.optsWithGlobals<{ color?: boolean }>();
  const columns = io.stdout.columns ?? Number(io.env.COLUMNS);
  return {
    colors: createColors(colorEnabled(color, io.env, io.stdout)),
    width: Number.isInteger(columns) && columns >= 40 ? columns : 80,
  };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
