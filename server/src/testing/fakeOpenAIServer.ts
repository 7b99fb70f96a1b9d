/**
 * A local stand-in for an OpenAI-compatible server (Ollama, llama-server, ...):
 * real HTTP on 127.0.0.1 with streamed SSE replies, scriptable per request, so the
 * provider is tested over the network path and never mocked at function level.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeBehaviour =
  | { kind: "stream"; deltas: string[]; delayMs?: number }
  /** sends some deltas, then drops the connection without [DONE] */
  | { kind: "dropMidStream"; deltas: string[]; delayMs?: number }
  | { kind: "status"; status: number; body: string }
  | { kind: "garbage" }
  /** accepts the request and never answers */
  | { kind: "hang" }
  /** answers 200 and then only sends SSE keep-alive comments */
  | { kind: "keepAlive"; everyMs?: number }
  /** streams deltas whose content is not a string (objects, numbers), then the given text */
  | { kind: "oddContent"; text: string };

export interface FakeOpenAIServer {
  baseUrl: string;
  requests: { path: string; headers: IncomingMessage["headers"]; body: unknown }[];
  /** what the next chat completion does (the last one set stays in force) */
  next(b: FakeBehaviour): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `port` 0 picks a free one; give a port to come back at the same address after close(). */
export async function startFakeOpenAIServer(models = ["fake-model"], port0 = 0): Promise<FakeOpenAIServer> {
  let behaviour: FakeBehaviour = { kind: "stream", deltas: ["[happy] Hello", " from", " the fake", " server."] };
  const requests: FakeOpenAIServer["requests"] = [];
  const open = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw = "";
    for await (const c of req) raw += c;
    let body: unknown = null;
    try { body = raw ? JSON.parse(raw) : null; } catch { body = raw; }
    requests.push({ path: req.url ?? "", headers: req.headers, body });
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: models.map((id) => ({ id, object: "model" })) }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    const b = behaviour;
    if (b.kind === "status") { res.writeHead(b.status, { "content-type": "application/json" }).end(b.body); return; }
    if (b.kind === "hang") { open.add(res); return; }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (b.kind === "garbage") { res.end("data: {not json\n\n"); return; }
    open.add(res);
    if (b.kind === "keepAlive") {
      while (!res.destroyed) { res.write(": keep-alive\n\n"); await sleep(b.everyMs ?? 200); }
      return;
    }
    if (b.kind === "oddContent") {
      for (const content of [{ type: "weird" }, 42, null, [{ type: "text", text: b.text }], { text: "not a part list" }]) {
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
      res.end("data: [DONE]\n\n");
      open.delete(res);
      return;
    }
    for (const d of b.kind === "stream" || b.kind === "dropMidStream" ? b.deltas : []) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`);
      await sleep(b.delayMs ?? 5);
    }
    if (b.kind === "dropMidStream") { res.socket?.destroy(); open.delete(res); return; }
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
    res.end("data: [DONE]\n\n");
    open.delete(res);
  };

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((r) => server.listen(port0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    next: (b) => { behaviour = b; },
    close: async () => {
      for (const r of open) r.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
