/**
 * A Table is built with `new`, without Colyseus: two people sit down at it, one
 * types to a character by name and is answered, the other speaks to another one
 * and is answered too (and the first hears the second's voice); both see the
 * transcript in the table's state, and only the host changes its settings.
 */
import { describe, it, expect, afterEach } from "vitest";
import { ErrorCode, ServerMessage, type UttStart, type UttEnd, type VoiceEdge } from "@parley/shared";
import { tableWithFakes, sitDown, type TableHarness } from "../testing/tableHarness.js";

let h: TableHarness;
afterEach(async () => { await h?.close(); });

/** `ms` of loud 16 kHz PCM in 32 ms frames, paced as a page sends it. */
async function speak(sessionId: string, ms: number): Promise<void> {
  const frame = new Int16Array(512).fill(3000);
  for (let t = 0; t < ms; t += 32) {
    h.table.speechAudio(sessionId, new Uint8Array(frame.buffer.slice(0)));
    await new Promise((r) => setTimeout(r, 32));
  }
}

/** The utterance `characterId` started after `since` messages, once it has ended. */
async function answerBy(characterId: string, since: number): Promise<UttStart> {
  let start: UttStart | undefined;
  await h.until(() => {
    start ??= h.door.said.slice(since).filter((s) => s.type === ServerMessage.uttStart).map((s) => s.message as UttStart).find((m) => m.characterId === characterId);
    return !!start && h.door.of<UttEnd>(ServerMessage.uttEnd).some((m) => m.utteranceId === start!.utteranceId);
  }, 10_000, `${characterId}'s answer`);
  return start!;
}

describe("a table built with fakes", () => {
  it("seats two people, answers each, shows them the same transcript and relays one's voice to the other", async () => {
    h = await tableWithFakes({ script: ["Theo what do you think"] });
    h.table.attach(h.door);
    await sitDown(h, "s1", "Sam", "host");
    await sitDown(h, "s2", "Sam");
    const people = [...h.table.state.people.values()];
    // two people, two names and two places of their own
    expect(people.map((p) => [p.name, p.role])).toEqual([["Sam", "host"], ["Sam 2", "guest"]]);
    expect(new Set(people.map((p) => p.seat)).size).toBe(2);
    expect([...h.table.state.characters.keys()]).toEqual(["ada", "theo", "juno"]);

    // typed, to a character by name
    h.table.chat("s1", "Ada, hello there.");
    const ada = await answerBy("ada", 0);
    expect(ada.addressee).toBe("s1");

    // spoken, to another one
    const before = h.door.said.length;
    h.table.speechStart("s2");
    await speak("s2", 700);
    h.table.speechEnd("s2", { ptt: true });
    const theo = await answerBy("theo", before);
    expect(theo.addressee).toBe("s2");
    // the first person heard the second's voice; the second did not hear themselves
    expect(h.door.heardBy("s1").some((s) => s.type === ServerMessage.voiceStart && (s.message as VoiceEdge).from === "s2")).toBe(true);
    expect(h.door.heardBy("s2").some((s) => s.type === ServerMessage.voiceStart)).toBe(false);

    await h.until(() => h.table.state.transcript.filter((l) => l.done && l.kind === "character").length === 2, 5000, "both answers in the transcript");
    expect(h.table.state.transcript.map((l) => [l.speakerName, l.kind])).toEqual([
      ["Sam", "person"], ["Ada", "character"], ["Sam 2", "person"], ["Theo", "character"],
    ]);
    expect(h.table.state.transcript[2]!.text).toBe("Theo what do you think");

    // only the host changes the table's settings
    await h.table.changeSettings("s2", { everyoneTalks: true });
    expect(h.door.failures).toEqual([{ to: "s2", code: ErrorCode.forbidden, message: "Only the table's host can change the table's settings." }]);
    expect(h.table.state.settings.everyoneTalks).toBe(false);
    await h.table.changeSettings("s1", { everyoneTalks: true });
    expect(h.table.state.settings.everyoneTalks).toBe(true);
    expect(h.kept.settings).toEqual([{ everyoneTalks: true }]);

    // one leaves: their place is free, the other stays
    h.door.present.delete("s2");
    h.table.leave("s2");
    expect([...h.table.state.people.keys()]).toEqual(["s1"]);
  });
});
