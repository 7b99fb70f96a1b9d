/**
 * Property test: whatever people do and whenever they do it, the table behaves.
 * - never two characters audible at once, except an interrupter's brief overlap;
 * - no character line carries another speaker's "Name:" line;
 * - a person's message or a stop silences the current speaker at once;
 * - after a stop nobody starts talking until a person does something.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createHarness, audibleIntervals, TEST_CAST } from "../testing/directorHarness.js";

type Cmd =
  | { kind: "say"; to: "ada" | "theo" | "juno" | "none" | "everyone"; wait: number }
  | { kind: "stop"; wait: number }
  | { kind: "nominate"; who: "ada" | "theo" | "juno"; wait: number }
  | { kind: "everyoneTalks"; on: boolean; wait: number }
  | { kind: "sensitivity"; value: number; wait: number };

const wait = fc.integer({ min: 0, max: 350 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant("say" as const), to: fc.constantFrom("ada", "theo", "juno", "none", "everyone" as const), wait }),
  fc.record({ kind: fc.constant("stop" as const), wait }),
  fc.record({ kind: fc.constant("nominate" as const), who: fc.constantFrom("ada", "theo", "juno" as const), wait }),
  fc.record({ kind: fc.constant("everyoneTalks" as const), on: fc.boolean(), wait }),
  fc.record({ kind: fc.constant("sensitivity" as const), value: fc.constantFrom(0, 0.5, 1), wait }),
);

const REPLIES = [
  "[happy] Sure, I can say a few words about that. It is a fine idea.",
  "[angry] That is absolutely wrong! Nobody believes that. Obviously!",
  "Well. Theo: I would answer for Theo here. Juno: and for Juno too.",
  "[surprised] Oh! Ada, do you really think so? I never would have guessed.",
  "Mm.",
];

const OVERLAP_MS = 100;
const NAMES = TEST_CAST.map((c) => c.name);

describe("director invariants", () => {
  it("hold over random sequences of people's actions", async () => {
    const seed = Number(process.env.PARLEY_PROPERTY_SEED ?? 20261121);
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 3, maxLength: 8 }), fc.integer({ min: 1, max: 1000 }), async (cmds, rngSeed) => {
      let k = rngSeed;
      const h = createHarness({ reply: () => REPLIES[k++ % REPLIES.length]!, seed: rngSeed, msPerChar: 4, timing: { overlapMs: OVERLAP_MS } });
      const marks: { kind: "person" | "stop"; at: number }[] = [];
      const t0 = performance.now();
      try {
        for (const c of cmds) {
          await h.sleep(c.wait);
          const at = performance.now() - t0;
          switch (c.kind) {
            case "say": {
              const text = c.to === "none" ? "What now?" : c.to === "everyone" ? "Hi everyone!" : `${c.to[0]!.toUpperCase()}${c.to.slice(1)}, your turn?`;
              h.director.onPersonMessage({ id: "sam", name: "Sam" }, text);
              marks.push({ kind: "person", at });
              break;
            }
            case "stop": h.director.stop(); marks.push({ kind: "stop", at }); break;
            case "nominate": h.director.nominate(c.who, "sam"); marks.push({ kind: "person", at }); break;
            case "everyoneTalks": h.settings.everyoneTalks = c.on; h.settings.maxAutoTurns = 3; break;
            case "sensitivity": h.settings.interruptSensitivity = c.value; break;
          }
        }
        await h.sleep(800);
        h.director.stop();
        marks.push({ kind: "stop", at: performance.now() - t0 });
        await h.sleep(150);

        const iv = audibleIntervals(h.events).sort((a, b) => a.from - b.from);
        // 1. overlaps only as a deliberate, brief cut-in
        for (let i = 0; i < iv.length; i++) {
          for (let j = i + 1; j < iv.length; j++) {
            const a = iv[i]!;
            const b = iv[j]!;
            const overlap = Math.min(a.to, b.to) - Math.max(a.from, b.from);
            if (overlap <= 5) continue;
            // b answered a while a was audible: a deliberate cut-in (a may then be stopped by a person instead)
            const cutIn = h.events.some((e) => e.type === "start" && e.utteranceId === b.utteranceId && e.addressee === a.characterId);
            expect(cutIn, `${a.characterId} and ${b.characterId} overlapped ${overlap.toFixed(0)} ms`).toBe(true);
            // generous bounds: the suite may share two cores with other test files
            expect(overlap).toBeLessThan(OVERLAP_MS + 150);
          }
        }
        // 2. nobody speaks for another
        for (const e of h.log.recent(200)) {
          if (e.kind !== "character") continue;
          for (const n of NAMES.filter((x) => x !== e.speakerName)) expect(e.text).not.toMatch(new RegExp(`(^|[.!?]\\s+|\\n)${n}:`));
        }
        // 3. a person's action silences whoever was audible at once
        for (const m of marks) {
          for (const x of iv) {
            if (x.from < m.at - 5 && x.to > m.at + 5) {
              const cancel = h.events.find((e) => e.type === "cancel" && e.utteranceId === x.utteranceId);
              expect(cancel, `utterance audible across a ${m.kind}`).toBeDefined();
              expect(cancel!.at - m.at).toBeLessThan(150);
            }
          }
        }
        // 4. after a stop, nobody starts until a person acts again
        for (const m of marks.filter((x) => x.kind === "stop")) {
          const nextPerson = marks.find((x) => x.kind === "person" && x.at > m.at)?.at ?? Infinity;
          const started = h.events.filter((e) => e.type === "start" && e.at > m.at + 5 && e.at < nextPerson);
          expect(started, "a character started talking after stop").toEqual([]);
        }
      } finally {
        await h.dispose();
      }
    }), { numRuns: Number(process.env.PARLEY_PROPERTY_RUNS ?? 10), seed });
  }, 120_000);
});
