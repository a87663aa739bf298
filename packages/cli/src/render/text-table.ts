import { padEnd, padStart, visibleWidth } from './visible-width';

export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

/**
 * A plain aligned table: a header, a rule, then the rows, columns two spaces apart.
 * No box drawing, so the output stays readable when piped or pasted.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: { indent?: number; dim?: (text: string) => string } = {},
): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[index] ?? ''))),
  );
  const indent = ' '.repeat(options.indent ?? 2);
  const dim = options.dim ?? ((text: string) => text);
  const line = (cells: readonly string[]) =>
    indent +
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index]!;
        return column.align === 'right' ? padStart(cell, width) : padEnd(cell, width);
      })
      .join('  ')
      .trimEnd();
  const header = line(columns.map((column) => column.header));
  const rule = (indent + widths.map((width) => '─'.repeat(width)).join('  ')).trimEnd();
  return [dim(header), dim(rule), ...rows.map(line)].join('\n');
}
