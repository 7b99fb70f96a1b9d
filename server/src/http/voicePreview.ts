/** GET /api/voices/preview?character=id[&table=id][&text=...]: a short sample of a character's voice at a table, as WAV. */
import type { Application, Request, RequestHandler } from "express";
import type { CharacterConfig, Language, VoiceConfig } from "@parley/shared";
import { cleanText } from "@parley/shared";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { encodeWav } from "../asr/wav.js";
import { errorMessage } from "../util/errors.js";
import { rateLimit } from "./rateLimit.js";
import { serverText } from "../i18n/serverText.js";

export interface PreviewTable {
  characters: readonly CharacterConfig[];
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  /** the sample sentence is in the table's language */
  language?: () => Language;
}

export interface PreviewDeps {
  /** who may listen */
  guard: RequestHandler;
  /** the table the request is about, or null when there is none */
  table: (req: Request) => Promise<PreviewTable | null>;
}

const MAX_PREVIEW_CHARS = 200;

/** The whole sample as one WAV file. */
export async function wavOf(route: VoiceRoute, text: string, signal: AbortSignal): Promise<Buffer> {
  const parts: Int16Array[] = [];
  for await (const p of route.provider.synthesize(text, route.voice, signal)) parts.push(p.pcm);
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { pcm.set(p, at); at += p.length; }
  return Buffer.from(encodeWav(pcm, route.provider.sampleRate(route.voice)));
}

export function mountVoicePreview(app: Application, d: PreviewDeps): void {
  app.get("/api/voices/preview", d.guard, rateLimit(10, 60_000, "voice previews"), async (req, res) => {
    const t = await d.table(req);
    const c = t?.characters.find((x) => x.id === req.query.character);
    if (!t || !c) { res.status(404).json({ error: "no such character at this table" }); return; }
    const text = cleanText(String(req.query.text ?? serverText(t.language?.() ?? "en").voicePreview(c.name))).slice(0, MAX_PREVIEW_CHARS);
    if (!text) { res.status(400).json({ error: "nothing to say" }); return; }
    const ac = new AbortController();
    req.on("close", () => ac.abort());
    try {
      const route = await t.voices.route(c.voice, ac.signal);
      res.type("audio/wav");
      if (route.fallbackReason) res.setHeader("x-parley-fallback", encodeURIComponent(route.fallbackReason).slice(0, 500));
      res.send(await wavOf(route, text, ac.signal));
    } catch (err) {
      if (!res.headersSent) res.status(500).json({ error: errorMessage(err) });
    }
  });
}
