import { describe, expect, it } from 'vitest';
import { parseMultipartForm } from './multipart-form.js';

describe('parseMultipartForm', () => {
  it('parses the multipart body fetch produces from FormData', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    form.append('file', new Blob([new Uint8Array(1234)], { type: 'audio/mpeg' }), 'clip.mp3');
    form.append('include[]', 'logprobs');
    form.append('include[]', 'other');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parsed = parseMultipartForm(body, request.headers.get('content-type')!);
    expect(parsed.names).toEqual(['model', 'file', 'include[]', 'include[]']);
    expect(parsed.fields).toEqual({ model: 'whisper-1', 'include[]': ['logprobs', 'other'] });
    expect(parsed.files).toEqual({ file: { filename: 'clip.mp3', contentType: 'audio/mpeg', size: 1234 } });
  });

  it('rejects a body without the boundary', () => {
    expect(() => parseMultipartForm(Buffer.from('x'), 'multipart/form-data')).toThrow(/boundary/);
    expect(() => parseMultipartForm(Buffer.from('x'), 'multipart/form-data; boundary=abc')).toThrow(
      /Malformed/,
    );
  });
});
