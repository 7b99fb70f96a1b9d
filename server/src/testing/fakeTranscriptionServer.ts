/**
 * A local stand-in for an OpenAI-compatible transcription server (speaches,
 * whisper.cpp server, LocalAI): real HTTP on 127.0.0.1, multipart parsing, and a
 * scriptable answer per request, so the provider is tested over the network path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeWav } from "../asr/wav.js";

export type TranscriptionBehaviour =
  /** answers with this text (and language in verbose_json) after delayMs; a silent upload gets "" */
  | { kind: "text"; text: string; language?: string; delayMs?: number }
  /** the text is the number of samples received, e.g. "16000 samples" (for partial tests) */
  | { kind: "echoLength"; delayMs?: number }
  | { kind: "status"; status: number; body: string }
  | { kind: "malformed" }
  /** accepts the request and never answers */
  | { kind: "hang" };

export interface TranscriptionRequest {
  path: string;
  headers: IncomingMessage["headers"];
  fields: Record<string, string>;
  /** the uploaded WAV, decoded */
  audio?: { samples: number; sampleRate: number; channels: number; filename: string; type: string; peak: number };
}

export interface FakeTranscriptionServer {
  baseUrl: string;
  requests: TranscriptionRequest[];
  /** what the next transcription requests do (stays in force until changed) */
  next(b: TranscriptionBehaviour): void;
  /** /v1/models answers this status (404 like whisper.cpp, 200 like speaches) */
  modelsStatus: number;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startFakeTranscriptionServer(): Promise<FakeTranscriptionServer> {
  let behaviour: TranscriptionBehaviour = { kind: "text", text: "hello from the fake server", language: "en" };
  const requests: TranscriptionRequest[] = [];
  const open = new Set<ServerResponse>();
  const state = { modelsStatus: 200 };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(state.modelsStatus, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "whisper-fake", object: "model" }] }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/audio/transcriptions") { res.writeHead(404).end(); return; }
    const entry: TranscriptionRequest = { path: req.url, headers: req.headers, fields: {} };
    try {
      // undici parses multipart bodies for us
      const form = await new Response(raw, { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData();
      for (const [k, v] of form) {
        if (typeof v === "string") { entry.fields[k] = v; continue; }
        const wav = decodeWav(new Uint8Array(await v.arrayBuffer()));
        let peak = 0;
        for (const x of wav.pcm) peak = Math.max(peak, Math.abs(x));
        entry.audio = { samples: wav.pcm.length, sampleRate: wav.sampleRate, channels: wav.channels, filename: v.name, type: v.type, peak };
      }
    } catch (err) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `bad upload: ${String(err)}` } }));
      return;
    }
    requests.push(entry);
    const b = behaviour;
    if (b.kind === "status") { res.writeHead(b.status, { "content-type": "application/json" }).end(b.body); return; }
    if (b.kind === "hang") { open.add(res); return; }
    if (b.kind === "malformed") { res.writeHead(200, { "content-type": "application/json" }).end("{\"text\": "); return; }
    open.add(res);
    await sleep(b.delayMs ?? 0);
    open.delete(res);
    if (res.destroyed) return;
    // like a server with VAD in front of Whisper: no words in a silent upload
    const silent = (entry.audio?.peak ?? 0) < 100;
    const text = silent ? "" : b.kind === "echoLength" ? `${entry.audio?.samples ?? 0} samples` : b.text;
    const verbose = entry.fields.response_format === "verbose_json";
    const language = b.kind === "text" ? b.language : undefined;
    const body = verbose
      ? { task: "transcribe", language: language === "en" ? "english" : language, duration: (entry.audio?.samples ?? 0) / 16000, text, segments: [] }
      : { text };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    next: (b) => { behaviour = b; },
    get modelsStatus() { return state.modelsStatus; },
    set modelsStatus(s: number) { state.modelsStatus = s; },
    close: async () => {
      for (const r of open) r.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
