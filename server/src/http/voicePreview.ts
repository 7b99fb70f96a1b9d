/** GET /api/voices/preview?character=id[&text=...]: a short sample of a character's voice, as WAV. */
import type { Application } from "express";
import type { CharacterConfig, Language, VoiceConfig } from "@parley/shared";
import { cleanText } from "@parley/shared";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { encodeWav } from "../asr/wav.js";
import { errorMessage } from "../util/errors.js";
import { rateLimit } from "./rateLimit.js";
import { serverText } from "../i18n/serverText.js";

export interface PreviewDeps {
  characters: readonly CharacterConfig[];
  voices: { route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute> };
  /** the sample sentence is in the table's language */
  language?: () => Language;
}

const MAX_PREVIEW_CHARS = 200;

export function mountVoicePreview(app: Application, d: PreviewDeps): void {
  app.get("/api/voices/preview", rateLimit(10, 60_000, "voice previews"), async (req, res) => {
    const c = d.characters.find((x) => x.id === req.query.character);
    if (!c) { res.status(404).json({ error: "no such character" }); return; }
    const text = cleanText(String(req.query.text ?? serverText(d.language?.() ?? "en").voicePreview(c.name))).slice(0, MAX_PREVIEW_CHARS);
    if (!text) { res.status(400).json({ error: "nothing to say" }); return; }
    const ac = new AbortController();
    req.on("close", () => ac.abort());
    try {
      const route = await d.voices.route(c.voice, ac.signal);
      const parts: Int16Array[] = [];
      for await (const p of route.provider.synthesize(text, route.voice, ac.signal)) parts.push(p.pcm);
      const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { pcm.set(p, o); o += p.length; }
      res.type("audio/wav");
      if (route.fallbackReason) res.setHeader("x-parley-fallback", encodeURIComponent(route.fallbackReason).slice(0, 500));
      res.send(Buffer.from(encodeWav(pcm, route.provider.sampleRate(route.voice))));
    } catch (err) {
      if (!res.headersSent) res.status(500).json({ error: errorMessage(err) });
    }
  });
}
