import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text';

describe('wrapText', () => {
  it('wraps at word boundaries with a hanging indent', () => {
    expect(wrapText('one two three four five', 11, '  ')).toBe('one two\n  three\n  four five');
    expect(wrapText('short', 10, '  ')).toBe('short');
    expect(wrapText('averyveryverylongword x', 8, ' ')).toBe('averyveryverylongword\n x');
  });
});
