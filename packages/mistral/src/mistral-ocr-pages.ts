const MAX_PAGES = 100_000;

/**
 * How many pages an OCR request will process, when the request says: an image is
 * one page, and `pages` (a list of page numbers, or a string such as `0,2-4`) counts
 * its distinct pages. Undefined when only the document knows.
 */
export function mistralOcrPageCount(request: { document?: unknown; pages?: unknown }): number | undefined {
  const { document, pages } = request;
  if (
    typeof document === 'object' &&
    document !== null &&
    (document as { type?: unknown }).type === 'image_url'
  )
    return 1;
  if (Array.isArray(pages)) {
    const distinct = new Set(pages.filter((page) => Number.isInteger(page) && page >= 0));
    return distinct.size > 0 ? distinct.size : undefined;
  }
  if (typeof pages === 'string') return countPageRanges(pages);
  return undefined;
}

function countPageRanges(spec: string): number | undefined {
  const distinct = new Set<number>();
  for (const part of spec.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) return undefined;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first || last - first >= MAX_PAGES) return undefined;
    for (let page = first; page <= last && distinct.size < MAX_PAGES; page++) distinct.add(page);
  }
  return distinct.size > 0 ? distinct.size : undefined;
}
