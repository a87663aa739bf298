import { describe, expect, it } from 'vitest';
import { colorEnabled } from './colors';

const terminal = { write: () => true, isTTY: true };
const pipe = { write: () => true };

describe('colorEnabled', () => {
  it('colours a terminal, not a pipe, and not because CI is set', () => {
    expect(colorEnabled(undefined, {}, terminal)).toBe(true);
    expect(colorEnabled(undefined, {}, pipe)).toBe(false);
    expect(colorEnabled(undefined, { CI: 'true' }, pipe)).toBe(false);
    expect(colorEnabled(undefined, { TERM: 'dumb' }, terminal)).toBe(false);
  });

  it('lets NO_COLOR win over FORCE_COLOR, and the flags win over both', () => {
    expect(colorEnabled(undefined, { NO_COLOR: '1' }, terminal)).toBe(false);
    expect(colorEnabled(undefined, { NO_COLOR: '' }, terminal)).toBe(true);
    expect(colorEnabled(undefined, { FORCE_COLOR: '1' }, pipe)).toBe(true);
    expect(colorEnabled(undefined, { FORCE_COLOR: '0' }, terminal)).toBe(false);
    expect(colorEnabled(undefined, { FORCE_COLOR: '1', NO_COLOR: '1' }, pipe)).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1' }, pipe)).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '1' }, terminal)).toBe(false);
  });
});
