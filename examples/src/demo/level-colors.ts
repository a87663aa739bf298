import type { AlertLevel } from '@tollgate/core';
import pc from 'picocolors';

const COLORS: Record<AlertLevel, (text: string) => string> = {
  GREEN: pc.green,
  YELLOW: pc.yellow,
  ORANGE: pc.magenta,
  RED: pc.red,
  CRITICAL: (text) => pc.bold(pc.red(text)),
};

export function colorLevel(level: AlertLevel, text: string = level): string {
  return COLORS[level](text);
}
