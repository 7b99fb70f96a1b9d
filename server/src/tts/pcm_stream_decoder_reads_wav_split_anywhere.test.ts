import { describe, it, expect } from "vitest";
import { PcmStreamDecoder } from "./PcmStreamDecoder.js";
import { wavHeader } from "../testing/fakeSpeechServer.js";
import { concatInt16 } from "./pcm.js";

const samples = Int16Array.from({ length: 1000 }, (_, i) => Math.round(10000 * Math.sin(i / 7)));
const bytes = (a: Int16Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
/** feeds `data` in pieces of `size` bytes */
const decode = (d: PcmStreamDecoder, data: Uint8Array, size: number): Int16Array => {
  const out: Int16Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(d.push(data.subarray(i, i + size)));
  d.end();
  return concatInt16(out);
};

describe("the PCM stream decoder", () => {
  it("reads a streamed WAV whose header and samples are split at any byte", () => {
    const wav = concat(wavHeader(32000, 0), bytes(samples));
    for (const size of [1, 3, 7, 44, 45, 1001]) {
      const d = new PcmStreamDecoder();
      expect(decode(d, wav, size)).toEqual(samples);
      expect(d.format).toEqual({ sampleRate: 32000, channels: 1, bitsPerSample: 16, float: false });
    }
  });

  it("skips chunks before the audio and stops at a stated data size", () => {
    const list = Buffer.alloc(8 + 6);
    list.write("LIST", 0); list.writeUInt32LE(6, 4);
    const h = wavHeader(16000, samples.byteLength);
    // header with a LIST chunk between fmt and data, and junk after the data
    const wav = concat(h.subarray(0, 36), list, h.subarray(36), bytes(samples), new Uint8Array([1, 2, 3, 4]));
    expect(decode(new PcmStreamDecoder(), wav, 100)).toEqual(samples);
  });

  it("mixes float32 stereo down to 16-bit mono", () => {
    const h = Buffer.alloc(44);
    h.write("RIFF", 0); h.write("WAVE", 8); h.write("fmt ", 12); h.writeUInt32LE(16, 16);
    h.writeUInt16LE(3, 20); h.writeUInt16LE(2, 22); h.writeUInt32LE(24000, 24); h.writeUInt32LE(24000 * 8, 28); h.writeUInt16LE(8, 32); h.writeUInt16LE(32, 34);
    h.write("data", 36); h.writeUInt32LE(0, 40);
    const f = new Float32Array([0.5, 0.5, -0.25, 0.25, 1, 1]);
    expect(Array.from(decode(new PcmStreamDecoder(), concat(h, new Uint8Array(f.buffer)), 5))).toEqual([16384, 0, 32767]);
  });

  it("passes raw s16le through, keeping an odd byte for the next chunk", () => {
    const d = new PcmStreamDecoder({ sampleRate: 24000, channels: 1, bitsPerSample: 16, float: false });
    expect(decode(d, bytes(samples), 333)).toEqual(samples);
  });

  it("refuses what it cannot play, with the reason", () => {
    expect(() => new PcmStreamDecoder().push(new TextEncoder().encode("ID3\u0003 this is an mp3 file"))).toThrow(/expected a WAV stream/);
    const h = wavHeader(8000, 0);
    h.writeUInt16LE(8, 34);
    expect(() => new PcmStreamDecoder().push(h)).toThrow(/unsupported WAV encoding .*8 bits/);
    expect(() => new PcmStreamDecoder().end()).toThrow(/empty/);
  });
});
