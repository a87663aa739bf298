import { describe, expect, it } from 'vitest';
import { horizontalBar } from './bar-chart';
import { usageBar } from './usage-bar';

describe('horizontalBar', () => {
  it('scales to the width in eighths of a column', () => {
    expect(horizontalBar(100, 100, 10)).toBe('██████████');
    expect(horizontalBar(50, 100, 10)).toBe('█████');
    expect(horizontalBar(55, 100, 10)).toBe('█████▌');
  });

  it('shows a sliver for any spend and nothing for none', () => {
    expect(horizontalBar(1, 1_000_000, 10)).toBe('▏');
    expect(horizontalBar(0, 100, 10)).toBe('');
    expect(horizontalBar(5, 0, 10)).toBe('');
  });
});

describe('usageBar', () => {
  it("draws a block for each full block's worth used, never fully below 100%", () => {
    expect(usageBar(0.5, 10)).toEqual({ filled: '█████', empty: '░░░░░' });
    expect(usageBar(0.999, 10)).toEqual({ filled: '█████████', empty: '░' });
    expect(usageBar(0.001, 10)).toEqual({ filled: '', empty: '░░░░░░░░░░' });
    expect(usageBar(0.099, 10)).toEqual({ filled: '', empty: '░░░░░░░░░░' });
    expect(usageBar(0.1, 10)).toEqual({ filled: '█', empty: '░░░░░░░░░' });
    expect(usageBar(1.7, 10)).toEqual({ filled: '██████████', empty: '' });
    expect(usageBar(0, 4)).toEqual({ filled: '', empty: '░░░░' });
  });
});
