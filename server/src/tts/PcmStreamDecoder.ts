/**
 * Turns an HTTP audio body, chunk by chunk, into 16-bit mono samples: raw
 * s16le, or a WAV stream whose header may arrive split across chunks and whose
 * sizes are often placeholders (0 or 0xFFFFFFFF) when the server streams.
 * Chunks may end mid-sample; the odd bytes wait for the next chunk.
 */
import { TtsError } from "../util/errors.js";

export interface PcmFormat {
  /** Hz */
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  float: boolean;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export class PcmStreamDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private fmt: PcmFormat | null;
  private inData: boolean;
  /** bytes of audio still expected, when the WAV header states a real size */
  private remaining = Infinity;

  /** @param raw the format of a headerless body; omit for a WAV body */
  constructor(raw?: PcmFormat) {
    this.fmt = raw ?? null;
    this.inData = raw !== undefined;
  }

  /** the stream's format, once its header has been read */
  get format(): PcmFormat | null { return this.inData ? this.fmt : null; }

  push(chunk: Uint8Array): Int16Array {
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    if (!this.inData && !this.readHeader()) return new Int16Array(0);
    return this.takeSamples();
  }

  /** Bytes left at the end that do not make a whole sample are dropped. */
  end(): void {
    if (!this.inData) throw new TtsError(this.pending.length ? "the audio stream ended inside its WAV header" : "the audio stream was empty");
  }

  private readHeader(): boolean {
    const b = this.pending;
    if (b.length < 12) return false;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (ascii(b, 0) !== "RIFF" || ascii(b, 8) !== "WAVE") throw new TtsError(`expected a WAV stream, got bytes starting "${ascii(b, 0)}"`);
    let pos = 12;
    while (pos + 8 <= b.length) {
      const id = ascii(b, pos);
      const size = view.getUint32(pos + 4, true);
      if (id === "data") {
        if (!this.fmt) throw new TtsError("WAV stream has audio before its format");
        // streaming servers write 0 or 0xFFFFFFFF because the length is not known yet
        if (size > 0 && size < 0xfffffff0) this.remaining = size;
        this.pending = b.subarray(pos + 8);
        this.inData = true;
        return true;
      }
      if (pos + 8 + size > b.length) return false;
      if (id === "fmt ") this.fmt = parseFmt(view, pos + 8, size);
      pos += 8 + size + (size % 2);
    }
    return false;
  }

  private takeSamples(): Int16Array {
    const fmt = this.fmt!;
    const frameBytes = fmt.channels * (fmt.bitsPerSample / 8);
    const usable = Math.min(this.pending.length, this.remaining);
    const frames = Math.floor(usable / frameBytes);
    const out = new Int16Array(frames);
    const view = new DataView(this.pending.buffer, this.pending.byteOffset, this.pending.byteLength);
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < fmt.channels; c++) {
        const at = i * frameBytes + (c * fmt.bitsPerSample) / 8;
        sum += fmt.float ? Math.max(-1, Math.min(1, view.getFloat32(at, true))) * 32767 : view.getInt16(at, true);
      }
      out[i] = Math.round(sum / fmt.channels);
    }
    const used = frames * frameBytes;
    this.remaining -= used;
    // after a stated data size, whatever follows (LIST chunks) is not audio
    this.pending = this.remaining <= 0 ? new Uint8Array(0) : this.pending.slice(used);
    return out;
  }
}

function parseFmt(view: DataView, at: number, size: number): PcmFormat {
  if (size < 16) throw new TtsError("WAV format chunk is too short");
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 26) tag = view.getUint16(at + 24, true);
  const float = tag === WAVE_FORMAT_FLOAT;
  if (!((tag === WAVE_FORMAT_PCM && bitsPerSample === 16) || (float && bitsPerSample === 32))) {
    throw new TtsError(`unsupported WAV encoding (format ${tag}, ${bitsPerSample} bits): ask the server for 16-bit PCM`);
  }
  if (channels < 1 || sampleRate < 1000) throw new TtsError(`implausible WAV format: ${channels} channels at ${sampleRate} Hz`);
  return { sampleRate, channels, bitsPerSample, float };
}

function ascii(b: Uint8Array, at: number): string {
  return String.fromCharCode(...b.subarray(at, at + 4));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
