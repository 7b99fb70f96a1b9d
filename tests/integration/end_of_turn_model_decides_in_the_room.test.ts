import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { FakeTts } from "../../server/src/testing/FakeTts.js";
import { writeSmartTurnFixture } from "../../server/src/testing/smartTurnOnnxFixture.js";
import type { UttStart } from "../../shared/src/index.js";

let dir: string;
let app: Booted;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-turn-room-"));
  // Smart Turn's interface; this graph calls a turn complete when the audio ends loud, unfinished when it ends in silence
  const model = await writeSmartTurnFixture(join(dir, "smart-turn.onnx"), "probe");
  app = await boot({ PARLEY_TURN_MODEL: model }, { asr: new FakeAsr({ script: ["Ada, how are you?", "Theo, and what about"], msPerWord: 100 }), tts: new FakeTts({ msPerChar: 5 }) });
  await until(() => app.parley.turnModel?.ready === true, 20_000, "the end-of-turn model");
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `ms` of a 220 Hz tone at `level` (0: silence), in 32 ms frames, in real time. */
async function talk(room: Room, ms: number, level: number): Promise<void> {
  for (let t = 0, n = 0; t < ms; t += 32) {
    const frame = Int16Array.from({ length: 512 }, () => Math.round(level * Math.sin((2 * Math.PI * 220 * n++) / 16000)));
    room.sendBytes("speech:audio", new Uint8Array(frame.buffer));
    await new Promise((r) => setTimeout(r, 32));
  }
}

describe("the end-of-turn model in the room", () => {
  it("tells browsers to report the end of speech early, and answers a finished turn at once but waits on an unfinished one", async () => {
    const status = (await (await fetch(`${app.parley.url}/api/status`)).json()) as { voice: { vadSilenceMs: number; turnModel: string } };
    expect(status.voice.vadSilenceMs).toBe(200);
    expect(status.voice.turnModel).toMatch(/Smart Turn/);

    const room = await app.join("Sam");
    const log = new MessageLog(room);
    room.send("speech:start", {});
    await talk(room, 900, 4000);
    const ended = performance.now();
    room.send("speech:end", { silenceMs: 200 });
    const first = await log.waitForType("utt:start", 10_000);
    const start = first.payload as UttStart;
    expect(start.characterId).toBe("ada");
    expect(start.latency?.turnEnd).toBe("model");
    // nothing waited for more speech: the verdict came as soon as the model answered
    expect(first.at - ended).toBeLessThan(700);
    await until(() => Object.values(view(room).characters).every((c) => c.state === "idle"), 15_000, "Ada done");

    // the audio ends in silence: an unfinished turn, answered only after 1200 ms of silence in all
    room.send("speech:start", {});
    await talk(room, 900, 4000);
    await talk(room, 600, 0);
    const ended2 = performance.now();
    room.send("speech:end", { silenceMs: 200 });
    const second = await log.waitFor((r) => r.type === "utt:start" && (r.payload as UttStart).utteranceId !== start.utteranceId, 10_000, "Theo's answer");
    expect((second.payload as UttStart).latency?.turnEnd).toBe("model");
    expect(second.at - ended2).toBeGreaterThanOrEqual(950);
  });
});
