/** A RIFF chunk: its id, its little-endian size and its bytes, padded to an even length. */
function chunk(id: string, body: Uint8Array, sizeField = body.length): number[] {
  const size = [0, 8, 16, 24].map((shift) => (sizeField >>> shift) & 0xff);
  return [...new TextEncoder().encode(id), ...size, ...body, ...(body.length % 2 === 1 ? [0] : [])];
}

/** A mono 16-bit PCM WAV file of `seconds` of silence, with an optional extra chunk before the data. */
export function wavFile(
  seconds: number,
  {
    sampleRate = 16_000,
    extraChunk = 0,
    dataSizeField,
  }: { sampleRate?: number; extraChunk?: number; dataSizeField?: number } = {},
): Uint8Array {
  const format = new DataView(new ArrayBuffer(16));
  format.setUint16(0, 1, true);
  format.setUint16(2, 1, true);
  format.setUint32(4, sampleRate, true);
  format.setUint32(8, sampleRate * 2, true);
  format.setUint16(12, 2, true);
  format.setUint16(14, 16, true);
  const data = new Uint8Array(Math.round(seconds * sampleRate * 2));
  const chunks = [
    ...chunk('fmt ', new Uint8Array(format.buffer)),
    ...(extraChunk > 0 ? chunk('LIST', new Uint8Array(extraChunk)) : []),
    ...chunk('data', data, dataSizeField),
  ];
  return new Uint8Array(chunk('RIFF', new Uint8Array([...new TextEncoder().encode('WAVE'), ...chunks])));
}
