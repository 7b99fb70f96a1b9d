/** 16-bit PCM WAV files: writing (uploads, test fixtures) and reading (test inputs). */

export function encodeWav(pcm: Int16Array, sampleRate: number, channels = 1): Uint8Array<ArrayBuffer> {
  const data = pcm.length * 2;
  const buf = new ArrayBuffer(44 + data);
  const v = new DataView(buf);
  const ascii = (o: number, s: string): void => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + data, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, data, true);
  new Int16Array(buf, 44).set(pcm);
  return new Uint8Array(buf);
}

/** The first channel of a 16-bit PCM WAV, with its rate; throws on anything else. */
export function decodeWav(bytes: Uint8Array): { pcm: Int16Array; sampleRate: number; channels: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number): string => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("not a WAV file");
  let o = 12;
  let rate = 0;
  let channels = 0;
  let bits = 0;
  while (o + 8 <= bytes.length) {
    const id = tag(o);
    const size = v.getUint32(o + 4, true);
    if (id === "fmt ") {
      if (v.getUint16(o + 8, true) !== 1) throw new Error("only PCM WAV is supported");
      channels = v.getUint16(o + 10, true);
      rate = v.getUint32(o + 12, true);
      bits = v.getUint16(o + 22, true);
    } else if (id === "data") {
      if (bits !== 16 || channels < 1) throw new Error(`only 16-bit PCM WAV is supported (got ${bits} bits)`);
      const frames = Math.floor(Math.min(size, bytes.length - o - 8) / (2 * channels));
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) pcm[i] = v.getInt16(o + 8 + i * 2 * channels, true);
      return { pcm, sampleRate: rate, channels };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error("WAV file has no data chunk");
}
