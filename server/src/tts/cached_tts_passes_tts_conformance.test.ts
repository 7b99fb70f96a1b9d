import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FliteTts } from "./FliteTts.js";
import { CachedTts } from "./TtsCache.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("cached flite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "parley-ttscache-"));
  const tts = new CachedTts(new FliteTts(), { memoryEntries: 50, diskDir: dir, maxDiskBytes: 20 * 2 ** 20 });
  return {
    tts,
    voice: { provider: "flite", voice: "kal16", speed: 1, pitch: 50 },
    rateCheck: { secondsPerWord: [0.2, 0.6] },
    longTextFull: true,
    close: async () => { await tts.close(); await rm(dir, { recursive: true, force: true }); },
  };
});
