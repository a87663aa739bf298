import type { AlertLevel } from '@tollgate/core';
import type { Colors } from './colors';

/** The terminal colour of each alert level. */
export function colorForLevel(level: AlertLevel, colors: Colors): (text: string) => string {
  switch (level) {
    case 'GREEN':
      return colors.green;
    case 'YELLOW':
      return colors.yellow;
    case 'ORANGE':
      // Terminals have no orange: bright yellow on the 16 basic colours reads closest.
      return (text) => colors.bold(colors.yellowBright(text));
    case 'RED':
      return colors.red;
    case 'CRITICAL':
      return (text) => colors.bold(colors.bgRed(colors.white(text)));
  }
}

/** The HTML report's colour of each alert level. */
export const LEVEL_HEX: Readonly<Record<AlertLevel, string>> = {
  GREEN: '#2e9d57',
  YELLOW: '#d8b400',
  ORANGE: '#ea7d1c',
  RED: '#d33d32',
  CRITICAL: '#8e1537',
};
