/** How many leading bytes `wavDuration` needs to find the format and data chunks of a usual WAV file. */
export const WAV_HEADER_BYTES = 4_096;

/**
 * The duration in seconds of a RIFF/WAVE file from its header (the `fmt ` chunk's
 * byte rate and the `data` chunk's size), or undefined when the bytes are not a WAV
 * header. `totalBytes` bounds a data chunk whose size field is unset (streamed WAV).
 */
export function wavDuration(header: Uint8Array, totalBytes: number): number | undefined {
  if (header.length < 12 || ascii(header, 0) !== 'RIFF' || ascii(header, 8) !== 'WAVE') return undefined;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= header.length) {
    const id = ascii(header, offset);
    const size = view.getUint32(offset + 4, true);
    const dataStart = offset + 8;
    if (id === 'fmt ' && dataStart + 12 <= header.length) {
      byteRate = view.getUint32(dataStart + 8, true);
    } else if (id === 'data') {
      if (!byteRate) return undefined;
      const available = Math.max(0, totalBytes - dataStart);
      const dataBytes = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return dataBytes / byteRate;
    }
    // Chunks are padded to an even size.
    offset = dataStart + size + (size % 2);
  }
  return undefined;
}

function ascii(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(
    bytes[offset] ?? 0,
    bytes[offset + 1] ?? 0,
    bytes[offset + 2] ?? 0,
    bytes[offset + 3] ?? 0,
  );
}
