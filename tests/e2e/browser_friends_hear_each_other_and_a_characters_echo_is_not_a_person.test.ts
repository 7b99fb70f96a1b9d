/**
 * Two friends at one table. Alice is on a laptop without headphones (tests/support/
 * acousticLoop.ts: whatever her page plays comes back into her microphone, and no
 * echo canceller sees it); Bob wears headphones. Alice speaks: Bob hears her voice
 * from her seat; a character answers her. The character's voice comes back into
 * Alice's microphone: her page's detector fires on it, yet the character is
 * neither paused nor cut off, nothing of it is recognized as words, and Bob does
 * not hear it relayed.
 *
 * (A friend's relayed voice coming back into a laptop's microphone, with the
 * listener's playout stalling and saying so, is judged in tests/integration/
 * people_hear_each_other_and_echo_is_not_a_person. Two Chromium pages that both
 * echo, on two cores shared with other work, starve: their playout stalls for
 * seconds and their microphones send a second late, and then what they play is
 * not what was sent.)
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, Page } from "playwright-core";
import { boot, testConfig, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import { say, spoken, withAcousticLoop } from "../support/acousticLoop.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { FakeLlm } from "../../server/src/testing/FakeLlm.js";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import type { ParleyDebug } from "../support/debugTypes.js";

const QUESTION = "Hello everyone, what shall we cook tonight?";
const ANSWER = "Pasta, of course. We boil the water first, then we add the salt, and while it heats we chop the garlic and the tomatoes for the sauce.";

let app: Booted;
let browser: Browser;
let alice: Page;
let bob: Page;
let asr: FakeAsr;

async function open(name: string, echoGain: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 480, height: 320 } });
  await withAcousticLoop(page, { delayS: 0.15, echoGain });
  await page.addInitScript((n) => localStorage.setItem("parley.name", n), name);
  // no avatars: this test is about ears (browser_people_see_each_other... is about faces), and two
  // pages drawing avatars in software on two cores starve Chromium's audio clock
  await page.goto(`${app.parley.url}/?quality=low&avatars=off`);
  return page;
}

const people = (d: ParleyDebug, name: string): string => Object.entries(d.people).find(([, p]) => p.name === name)?.[0] ?? "";

beforeAll(async () => {
  ensureClientBuilt();
  // the recognizer would turn any speech it is given into a line: only Alice's should reach it
  asr = new FakeAsr({ script: [QUESTION, "this was echo"], msPerWord: 100 });
  const llm = LlmHost.withProvider(testConfig(), new FakeLlm(() => `[happy] ${ANSWER}`, 4));
  app = await boot({}, { asr, llm });
  browser = await launchChromium();
  alice = await open("Alice", 0.6);
  bob = await open("Bob", 0);
  for (const page of [alice, bob]) await waitForDebug(page, (d) => d.connected && Object.keys(d.people).length === 2, 20_000, "both friends at the table");
  for (const page of [alice, bob]) {
    await page.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(page, (d) => d.voice.mic === "on", 15_000, "the microphone on");
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("two friends, one on a laptop without headphones", () => {
  it("hear each other, and a character's voice coming back into a microphone is never taken for a person", async () => {
    const aliceId = people(await readDebug(bob), "Alice");
    expect(aliceId).not.toBe("");
    const speech = await spoken(QUESTION);
    const saying = say(alice, speech);
    // Bob hears Alice, from her seat, while she talks
    const heard = await waitForDebug(bob, (d) => d.audio.peerOnsets.some((o) => o.from === aliceId) && !!d.audio.peers[aliceId]?.playing, 15_000, "Alice's voice at Bob's page", 40);
    expect(heard.people[aliceId]!.seat).toBeGreaterThanOrEqual(0);
    await saying;

    // a character answers her, and is heard to the end at both pages
    const answered = await waitForDebug(alice, (d) => d.transcript.some((l) => l.text === ANSWER) && Object.values(d.characters).every((c) => c.state !== "speaking") && d.audio.playing.length === 0, 60_000, "the answer, heard to the end");
    const line = answered.transcript.find((l) => l.text === ANSWER)!;
    expect(line.interrupted).not.toBe(true);
    expect(answered.transcript.filter((l) => l.speaker === "Alice").map((l) => l.text)).toEqual([QUESTION]);
    expect(answered.transcript.some((l) => l.speaker === "Bob")).toBe(false);
    // Alice's detector did fire on the echo of the answer
    const atAlice = await readDebug(alice);
    expect(atAlice.voice.onsets.length).toBeGreaterThanOrEqual(2);
    // and the server held it back: one recognizer stream (her question; held speech is neither
    // recognized nor relayed), echo counted, nothing stopped
    expect(asr.streams.length).toBe(1);
    expect(app.parley.echoes.get("main") ?? 0).toBeGreaterThanOrEqual(1);
    const atBob = await readDebug(bob);
    for (const d of [answered, atBob]) expect(d.audio.stops).toEqual([]);
    // with headphones, Bob's microphone heard nothing of it
    expect(atBob.voice.onsets).toEqual([]);
  });
});
