/**
 * Voices for the studio: GET /api/voices lists every provider's voices; POST
 * /api/voices/preview with `{ voice, text? }` says a sample with any voice
 * config (as WAV), before it is saved to a character.
 */
import express, { type Application, type RequestHandler } from "express";
import { z } from "zod";
import { VoiceConfig, cleanText } from "@parley/shared";
import type { TtsVoiceInfo } from "../tts/types.js";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { wavOf } from "./voicePreview.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import { bodyErrors, handle } from "./characterRoutes.js";
import { rateLimit } from "./rateLimit.js";

const PreviewBody = z.object({ voice: VoiceConfig, text: z.string().max(400).optional() }).strict();

export interface VoiceCatalogDeps {
  list(): Promise<TtsVoiceInfo[]>;
  route(voice: VoiceConfig, signal?: AbortSignal): Promise<VoiceRoute>;
  access?: RequestHandler;
}

export function mountVoiceCatalog(app: Application, d: VoiceCatalogDeps): void {
  const api = express.Router();
  // only the catalogue's own paths (a table's GET /api/voices/preview has its own rights)
  if (d.access) { const access = d.access; api.use((req, res, next) => (req.path === "/voices" || (req.path === "/voices/preview" && req.method === "POST") ? access(req, res, next) : next())); }
  let listed: Promise<TtsVoiceInfo[]> | null = null;
  api.get("/voices", rateLimit(30, 60_000, "voice lists"), handle(async (_req, res) => {
    listed ??= d.list();
    listed.catch(() => { listed = null; });
    res.json({ voices: await listed });
  }));
  api.post("/voices/preview", rateLimit(10, 60_000, "voice previews"), express.json({ limit: "16kb" }), handle(async (req, res) => {
    const body = PreviewBody.safeParse(req.body);
    if (!body.success) throw new LibraryError(`voice: ${body.error.issues[0]?.path.join(".") ?? ""} ${body.error.issues[0]?.message ?? "bad voice"}`.trim(), 400);
    const text = cleanText(body.data.text ?? "Hello! This is how I sound.");
    const ac = new AbortController();
    res.on("close", () => ac.abort());
    const route = await d.route(body.data.voice, ac.signal);
    if (route.fallbackReason) res.setHeader("x-parley-fallback", encodeURIComponent(route.fallbackReason).slice(0, 500));
    res.type("audio/wav").send(await wavOf(route, text, ac.signal));
  }));
  api.use(bodyErrors);
  app.use("/api", api);
}
