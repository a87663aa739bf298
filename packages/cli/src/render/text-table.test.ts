import { describe, expect, it } from 'vitest';
import { createColors } from './colors';
import { renderTable } from './text-table';
import { stripAnsi } from './visible-width';

describe('renderTable', () => {
  it('aligns columns by visible width, ignoring colour codes', () => {
    const colors = createColors(true);
    const table = renderTable(
      [{ header: 'name' }, { header: 'cost', align: 'right' }],
      [
        [colors.red('openai'), '$14.54'],
        ['mistral', '$1.53'],
      ],
    );
    expect(table).toContain('\u001b[');
    const plain = stripAnsi(table);
    expect(plain.split('\n')).toEqual([
      '  name       cost',
      '  ───────  ──────',
      '  openai   $14.54',
      '  mistral   $1.53',
    ]);
  });
});
