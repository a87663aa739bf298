/** A PCM WAV file of `seconds` of silence (mono, 16-bit), for tests. */
export function wavFile(
  seconds: number,
  options: { sampleRate?: number; extraChunk?: number; dataSizeField?: number } = {},
): Uint8Array {
  const sampleRate = options.sampleRate ?? 16_000;
  const byteRate = sampleRate * 2;
  const dataBytes = Math.round(seconds * byteRate);
  const extra = options.extraChunk ?? 0;
  const extraTotal = extra > 0 ? 8 + extra + (extra % 2) : 0;
  const bytes = new Uint8Array(12 + 24 + extraTotal + 8 + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, value: string) => {
    for (let index = 0; index < value.length; index++) bytes[offset + index] = value.charCodeAt(index);
  };
  text(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, byteRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  let offset = 36;
  if (extra > 0) {
    text(offset, 'LIST');
    view.setUint32(offset + 4, extra, true);
    offset += extraTotal;
  }
  text(offset, 'data');
  view.setUint32(offset + 4, options.dataSizeField ?? dataBytes, true);
  return bytes;
}
