import { describe, it, expect } from "vitest";
import { speakTurn, type UtteranceSink } from "./speakTurn.js";
import { FakeTts } from "../testing/FakeTts.js";
import type { UttChunk } from "@parley/shared";
import { splitAsides, spokenText } from "@parley/shared";
import { TurnHandle, TurnPriority } from "../turn/TurnHandle.js";

const voice = { provider: "espeak" as const, voice: "en-us", speed: 1, pitch: 50 };

function sink(): { sink: UtteranceSink; chunks: UttChunk[]; ends: number } {
  const r = { chunks: [] as UttChunk[], ends: 0, sink: null as unknown as UtteranceSink };
  r.sink = { start: () => {}, chunk: (m) => r.chunks.push(m), end: () => { r.ends++; }, cancel: () => {} };
  return r;
}

/** the reply arrives token by token, a delimiter split across tokens */
async function* tokens(text: string): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += 3) { await new Promise((r) => setTimeout(r, 1)); yield text.slice(i, i + 3); }
}

async function speak(text: string): Promise<{ tts: FakeTts; shown: string; result: Awaited<ReturnType<typeof speakTurn>>; chunks: UttChunk[]; ends: number }> {
  const tts = new FakeTts({ msPerChar: 2 });
  const r = sink();
  let shown = "";
  const turn = new TurnHandle({ characterId: "ada", addressee: "", priority: TurnPriority.person });
  turn.on((e) => { if (e.kind === "text") shown += e.delta; });
  const result = await speakTurn({ turn, text: tokens(text), tts, voice, sink: r.sink, leadMs: 5000 });
  return { tts, shown, result, chunks: r.chunks, ends: r.ends };
}

describe("actions and thoughts in a reply", () => {
  it("are never sent to the voice, yet the transcript keeps them as written", async () => {
    const reply = "[happy] *smiles warmly* Hello there, traveller. (She wonders who this is.) Sit down, please. *pours tea*";
    const { tts, shown, result, chunks } = await speak(reply);
    const spoken = tts.calls.join(" ");
    expect(spoken).not.toMatch(/[*()]/);
    expect(spoken).not.toMatch(/smiles|wonders|pours/);
    expect(spoken.replace(/\s+/g, " ")).toBe("Hello there, traveller. Sit down, please.");
    // the text shown (and stored) is the reply without its emotion tag, asides included
    expect(shown.replace(/\s+/g, " ").trim()).toBe("*smiles warmly* Hello there, traveller. (She wonders who this is.) Sit down, please. *pours tea*");
    expect(result.text).toBe(shown.replace(/\s+/g, " ").trim());
    // what the chunks say they speak is the spoken words only
    expect(chunks.filter((c) => c.text).map((c) => c.text).join(" ")).not.toMatch(/smiles|wonders|pours/);
    expect(splitAsides(result.text).filter((p) => p.kind === "aside").map((p) => p.text)).toEqual(["*smiles warmly*", "(She wonders who this is.)", "*pours tea*"]);
  });

  it("in Russian and Chinese too, with full-width parentheses", async () => {
    const { tts } = await speak("*улыбается* Привет! （叹气）你好。");
    expect(tts.calls).toEqual(["Привет!", "你好。"]);
  });

  it("an action that names a feeling sets the face for the words after it", async () => {
    const { chunks } = await speak("Well. *grins* That went nicely.");
    const after = chunks.find((c) => c.text?.startsWith("That went"));
    expect(after?.emotions[0]?.emotion).toBe("happy");
  });

  it("a reply that is only an action is shown, sends no audio, and still ends", async () => {
    const { tts, result, chunks, ends } = await speak("*nods slowly*");
    expect(tts.calls).toEqual([]);
    expect(chunks.filter((c) => c.pcm.byteLength > 0)).toEqual([]);
    expect(result).toMatchObject({ text: "*nods slowly*", interrupted: false });
    expect(ends).toBe(1);
  });

  it("spokenText and splitAsides agree with the stream", () => {
    expect(spokenText("Hi *waves* there (thinking) friend")).toBe("Hi there friend");
    expect(splitAsides("**bold** move")).toEqual([{ kind: "aside", text: "**bold**" }, { kind: "spoken", text: " move" }]);
  });
});
