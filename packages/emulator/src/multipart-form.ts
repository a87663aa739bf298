import { EmulatorRequestError } from './emulator-request-error.js';

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
}

export interface MultipartForm {
  /** Text fields; a repeated name (such as `include[]`) collects its values in an array. */
  fields: Record<string, string | string[]>;
  files: Record<string, UploadedFile>;
  /** Every part name, in order of appearance. */
  names: string[];
}

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new EmulatorRequestError(400, 'multipart/form-data request without a boundary.');
  return boundary.trim();
}

function parseDisposition(headerBlock: string): { name?: string; filename?: string; contentType?: string } {
  const result: { name?: string; filename?: string; contentType?: string } = {};
  for (const line of headerBlock.split('\r\n')) {
    const separator = line.indexOf(':');
    if (separator < 0) continue;
    const key = line.slice(0, separator).trim().toLowerCase();
    const value = line.slice(separator + 1).trim();
    if (key === 'content-disposition') {
      const name = /\bname="([^"]*)"/i.exec(value)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
      if (name !== undefined) result.name = name;
      if (filename !== undefined) result.filename = filename;
    } else if (key === 'content-type') {
      result.contentType = value;
    }
  }
  return result;
}

/** Parses a complete multipart/form-data body. */
export function parseMultipartForm(body: Buffer, contentType: string): MultipartForm {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`);
  const form: MultipartForm = { fields: {}, files: {}, names: [] };
  let position = body.indexOf(delimiter);
  if (position < 0) throw new EmulatorRequestError(400, 'Malformed multipart/form-data body.');
  while (position >= 0) {
    const partStart = position + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) throw new EmulatorRequestError(400, 'Malformed multipart/form-data body.');
    // A part is CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const disposition = parseDisposition(part.subarray(0, headerEnd).toString('utf8'));
      const content = part.subarray(headerEnd + 4);
      const name = disposition.name;
      if (name !== undefined) {
        form.names.push(name);
        if (disposition.filename !== undefined) {
          form.files[name] = {
            filename: disposition.filename,
            contentType: disposition.contentType ?? 'application/octet-stream',
            size: content.length,
          };
        } else {
          const value = content.toString('utf8');
          const existing = form.fields[name];
          if (existing === undefined) form.fields[name] = value;
          else form.fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
        }
      }
    }
    position = next;
  }
  return form;
}
