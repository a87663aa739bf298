import { describe, expect, it } from 'vitest';
import { createProgressIndicator } from './progress-indicator';

describe('createProgressIndicator', () => {
  it('draws steps on a terminal and clears the line when done', () => {
    const written: string[] = [];
    const progress = createProgressIndicator({ write: (text: string) => written.push(text), isTTY: true });
    progress.step('reading budget status', 1, 3);
    progress.done();
    progress.done();
    expect(written[0]).toMatch(/^\r.\[2K. reading budget status \(1\/3\)$/);
    expect(written[0]?.startsWith('\r\u001b[2K')).toBe(true);
    expect(written.at(-1)).toBe('\r\u001b[2K');
    expect(written.filter((text) => text === '\r\u001b[2K')).toHaveLength(1);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const progress = createProgressIndicator({ write: (text: string) => written.push(text) });
    progress.step('reading', 1, 1);
    progress.done();
    expect(written).toEqual([]);
  });
});
