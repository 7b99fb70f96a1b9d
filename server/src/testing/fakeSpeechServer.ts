/**
 * A local stand-in for HTTP speech servers: real HTTP on 127.0.0.1, speaking
 * OpenAI's /v1/audio/speech ("pcm" at 24 kHz, or a streamed "wav" at another
 * rate) and GPT-SoVITS api_v2's /tts (a WAV header with data size 0, then raw
 * 16-bit chunks at 32 kHz, as api_v2 streams). The audio is one continuous sine
 * of a known frequency whose length follows the text and the speed, sent in odd
 * sized chunks (mid-sample splits). Scriptable: normal, slow, HTTP error, drop
 * mid-stream, hang.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";

export type SpeechBehaviour =
  | { kind: "normal" }
  /** waits this long before every chunk */
  | { kind: "slow"; chunkDelayMs: number }
  | { kind: "status"; status: number; body: string }
  /** sends this many chunks, then cuts the connection */
  | { kind: "dropMidStream"; afterChunks: number }
  /** takes the request and never answers */
  | { kind: "hang" };

export interface FakeSpeechOptions {
  openaiToneHz: number;
  /** OpenAI "pcm" rate, Hz */
  openaiPcmRate: number;
  /** rate of the fake's OpenAI "wav" answers, Hz */
  openaiWavRate: number;
  sovitsToneHz: number;
  /** rate of the fake GPT-SoVITS model, Hz (v2 models: 32 kHz) */
  sovitsRate: number;
  /** audio per character of input at speed 1, ms */
  msPerChar: number;
  /** odd on purpose: chunks end mid-sample */
  chunkBytes: number;
  chunkDelayMs: number;
  /** when set, /v1 wants "Authorization: Bearer <key>" */
  apiKey?: string;
}

export const FAKE_SPEECH_DEFAULTS: FakeSpeechOptions = { openaiToneHz: 440, openaiPcmRate: 24000, openaiWavRate: 22050, sovitsToneHz: 330, sovitsRate: 32000, msPerChar: 25, chunkBytes: 4801, chunkDelayMs: 1 };

export interface FakeSpeechServer {
  /** http://127.0.0.1:<port>: the GPT-SoVITS base URL */
  baseUrl: string;
  /** <baseUrl>/v1: the OpenAI base URL */
  openaiUrl: string;
  requests: { method: string; path: string; headers: IncomingMessage["headers"]; body: unknown }[];
  /** what audio requests do from now on */
  next(b: SpeechBehaviour): void;
  /** changes the fake's settings, e.g. its model's rate, for the requests that follow */
  configure(patch: Partial<FakeSpeechOptions>): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tone(seconds: number, hz: number, rate: number): Buffer {
  const n = Math.max(1, Math.round(seconds * rate));
  const b = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  return b;
}

/** A 44-byte WAV header; `dataBytes` 0 is what streaming servers send before they know the length. */
export function wavHeader(rate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0); h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4); h.write("WAVE", 8);
  h.write("fmt ", 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24); h.writeUInt32LE(rate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
  h.write("data", 36); h.writeUInt32LE(dataBytes, 40);
  return h;
}

export async function startFakeSpeechServer(opts: Partial<FakeSpeechOptions> = {}): Promise<FakeSpeechServer> {
  const o = { ...FAKE_SPEECH_DEFAULTS, ...opts };
  let behaviour: SpeechBehaviour = { kind: "normal" };
  const requests: FakeSpeechServer["requests"] = [];
  const sockets = new Set<Socket>();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const send = async (res: ServerResponse, head: Buffer | null, audio: Buffer, contentType: string): Promise<void> => {
    const b = behaviour;
    if (b.kind === "hang") return;
    if (b.kind === "status") { res.writeHead(b.status, { "content-type": "application/json" }).end(b.body); return; }
    res.writeHead(200, { "content-type": contentType });
    if (head) res.write(head);
    let sent = 0;
    for (let at = 0; at < audio.length; at += o.chunkBytes) {
      if (res.destroyed) return;
      if (b.kind === "dropMidStream" && sent === b.afterChunks) { res.socket?.destroy(); return; }
      await sleep(b.kind === "slow" ? b.chunkDelayMs : o.chunkDelayMs);
      if (res.destroyed) return;
      res.write(audio.subarray(at, at + o.chunkBytes));
      sent++;
    }
    res.end();
  };

  const openaiSpeech = async (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> => {
    if (o.apiKey && req.headers.authorization !== `Bearer ${o.apiKey}`) { json(res, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } }); return; }
    for (const k of ["model", "input", "voice"]) {
      if (typeof body[k] !== "string" || !body[k]) { json(res, 400, { error: { message: `'${k}' is a required property`, type: "invalid_request_error" } }); return; }
    }
    const format = body.response_format ?? "mp3";
    if (format !== "pcm" && format !== "wav") { json(res, 400, { error: { message: `this fake speaks pcm and wav, not ${String(format)}`, type: "invalid_request_error" } }); return; }
    const speed = typeof body.speed === "number" ? body.speed : 1;
    const seconds = ((body.input as string).length * o.msPerChar) / 1000 / speed;
    if (format === "pcm") await send(res, null, tone(seconds, o.openaiToneHz, o.openaiPcmRate), "audio/pcm");
    // streamed WAV: the lengths in the header are placeholders
    else await send(res, wavHeader(o.openaiWavRate, 0xffffffff), tone(seconds, o.openaiToneHz, o.openaiWavRate), "audio/wav");
  };

  const sovitsTts = async (res: ServerResponse, p: Record<string, unknown>): Promise<void> => {
    for (const k of ["ref_audio_path", "text", "text_lang", "prompt_lang"]) {
      if (p[k] === undefined || p[k] === null || p[k] === "") { json(res, 400, { message: `${k} is required` }); return; }
    }
    const media = p.media_type ?? "wav";
    if (!["wav", "raw", "ogg", "aac"].includes(String(media))) { json(res, 400, { message: `media_type: ${String(media)} is not supported` }); return; }
    const speed = Number(p.speed_factor ?? 1);
    const audio = tone((String(p.text).length * o.msPerChar) / 1000 / speed, o.sovitsToneHz, o.sovitsRate);
    const streaming = p.streaming_mode === true || p.streaming_mode === "true" || Number(p.streaming_mode) > 0;
    if (media === "raw") await send(res, null, audio, "audio/raw");
    else await send(res, streaming ? wavHeader(o.sovitsRate, 0) : wavHeader(o.sovitsRate, audio.length), audio, "audio/wav");
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw = "";
    for await (const c of req) raw += c;
    const url = new URL(req.url ?? "/", "http://fake");
    let body: Record<string, unknown> = {};
    try { body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { json(res, 400, { message: "body is not JSON" }); return; }
    requests.push({ method: req.method ?? "", path: url.pathname, headers: req.headers, body });
    if (req.method === "GET" && url.pathname === "/v1/models") {
      if (o.apiKey && req.headers.authorization !== `Bearer ${o.apiKey}`) { json(res, 401, { error: { message: "Incorrect API key provided" } }); return; }
      json(res, 200, { object: "list", data: [{ id: "tts-1", object: "model" }] });
      return;
    }
    if (req.method === "POST" && url.pathname === "/v1/audio/speech") { await openaiSpeech(req, res, body); return; }
    if (url.pathname === "/tts") { await sovitsTts(res, req.method === "GET" ? Object.fromEntries(url.searchParams) : body); return; }
    json(res, 404, { detail: "Not Found" });
  };

  const server = createServer((req, res) => { void handle(req, res).catch(() => res.destroy()); });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    openaiUrl: `${baseUrl}/v1`,
    requests,
    next: (b) => { behaviour = b; },
    configure: (patch) => { Object.assign(o, patch); },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
