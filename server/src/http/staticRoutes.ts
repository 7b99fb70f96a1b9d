/** HTTP routes beside Colyseus: the built client, avatar files and a status endpoint. */
import express, { type Application } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CharacterConfig, Language, LlmView, VoiceConfig } from "@parley/shared";
import { DEFAULT_TABLE as TABLE, type Store } from "../store/Store.js";
import { transcriptMarkdown } from "./transcriptMarkdown.js";
import { rateLimit } from "./rateLimit.js";
import { mountVoicePreview, type PreviewDeps } from "./voicePreview.js";
import { mountAvatarRoutes } from "./avatarRoutes.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";

export interface StaticRoutesOptions {
  clientDir: string;
  characters: readonly CharacterConfig[];
  llmStatus: () => LlmView;
  store: Store;
  /** `intended`: the voice that speaks a character's lines at the table (its own, or its language's default) */
  voices: PreviewDeps["voices"] & { intended?: (voice: VoiceConfig) => VoiceConfig };
  avatars: AvatarStore;
  /** what the browser's microphone needs to know */
  /** what the page's microphone needs to know, now (it changes when the end-of-turn model is ready) */
  voice: () => { vadSilenceMs: number; asr: string; turnModel: string };
  /** the table's language: the transcript export and voice previews are in it */
  language: () => Language;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Parley</title>
<p>The client is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.</p>`;

export function mountStaticRoutes(app: Application, o: StaticRoutesOptions): void {
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  app.get("/api/status", (_req, res) => {
    res.json({
      llm: o.llmStatus(),
      voice: o.voice(),
      characters: o.characters.map((c) => {
        const v = o.voices.intended?.(c.voice) ?? c.voice;
        return { id: c.id, name: c.name, persona: c.persona, voice: `${v.provider}:${"voice" in v ? v.voice : ""}` };
      }),
    });
  });
  mountVoicePreview(app, { characters: o.characters, voices: o.voices, language: o.language });
  app.get("/api/transcript.md", rateLimit(30, 60_000, "transcript exports"), async (_req, res) => {
    const lines = await o.store.allLines(TABLE);
    res.type("text/markdown").setHeader("content-disposition", 'attachment; filename="parley-transcript.md"');
    res.send(transcriptMarkdown(lines, o.language()));
  });
  mountAvatarRoutes(app, o.avatars);
  app.use(express.static(o.clientDir, { index: false, maxAge: 0 }));
  const index = join(o.clientDir, "index.html");
  app.get("/", (_req, res) => {
    if (existsSync(index)) res.sendFile(index);
    else res.status(503).type("html").send(NOT_BUILT);
  });
}
