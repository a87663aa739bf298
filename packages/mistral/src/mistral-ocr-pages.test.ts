import { describe, expect, it } from 'vitest';
import { mistralOcrPageCount } from './mistral-ocr-pages';

const pdf = { type: 'document_url', documentUrl: 'https://example.com/report.pdf' };

describe('mistralOcrPageCount', () => {
  it('counts an image as one page', () => {
    expect(
      mistralOcrPageCount({ document: { type: 'image_url', imageUrl: 'https://example.com/a.png' } }),
    ).toBe(1);
  });

  it('counts distinct page numbers', () => {
    expect(mistralOcrPageCount({ document: pdf, pages: [0, 1, 1, 4] })).toBe(3);
  });

  it('counts page ranges', () => {
    expect(mistralOcrPageCount({ document: pdf, pages: '0,2-4' })).toBe(4);
    expect(mistralOcrPageCount({ document: pdf, pages: '0-5, 3' })).toBe(6);
  });

  it('knows nothing about a whole document or a malformed range', () => {
    expect(mistralOcrPageCount({ document: pdf })).toBeUndefined();
    expect(mistralOcrPageCount({ document: pdf, pages: '5-2' })).toBeUndefined();
    expect(mistralOcrPageCount({ document: pdf, pages: 'all' })).toBeUndefined();
    expect(mistralOcrPageCount({ document: pdf, pages: [] })).toBeUndefined();
  });
});
