/**
 * People's voices in: speech:start / audio frames / speech:end / speech:cancel
 * from each person's page go through that person's echo gate to their
 * PersonVoice, whose decisions go to the director and the transcript; speech
 * the gate lets through is also relayed to the other people at the table.
 */
import type { ErrorCode } from "@parley/shared";
import type { Director } from "../director/Director.js";
import type { ConversationLog } from "../conversation/ConversationLog.js";
import type { AsrProvider } from "../asr/types.js";
import { PersonVoice, type SpeechEnd, type VOICE_DEFAULTS } from "../voice/PersonVoice.js";
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";
import { LatencyTrace } from "../turn/LatencyTrace.js";
import { EchoGate, ECHO_GATE_DEFAULTS, type Verdict } from "../voice/EchoGate.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";
import { log } from "../util/log.js";

export interface PeopleVoicesDeps {
  director: Director;
  log: ConversationLog;
  asr: AsrProvider | null;
  /** decides when a sentence is finished (null: the silence thresholds do) */
  turnModel?: EndOfTurnModel | null;
  options?: Partial<typeof VOICE_DEFAULTS>;
  personName: (sessionId: string) => string;
  setSpeaking: (sessionId: string, speaking: boolean) => void;
  fail: (sessionId: string, code: ErrorCode, message: string) => void;
  /** false (after telling them) when the host has muted this person */
  mayTalk: (sessionId: string) => boolean;
  /** whether a page's speech is only what it is playing, coming back (the echo guard) */
  echo: { score(sessionId: string, pcm: Int16Array, rate: number, endMs: number): number; lagOf(sessionId: string): number; judge(sessionId: string, pcm: Int16Array, rate: number, endMs: number): Verdict; playedLately(sessionId: string): boolean; playingSteadily(sessionId: string, forMs: number): boolean };
  /** told each time a page's "speech" is held back as echo (diagnostics) */
  onEcho?: (sessionId: string) => void;
  /** a person's speech, for the others at the table to hear */
  relay: { start(sessionId: string): void; audio(sessionId: string, pcm: Uint8Array): void; end(sessionId: string): void };
}

interface PersonEntry { voice: PersonVoice; gate: EchoGate<SpeechEnd>; liveLine: string | null }

export class PeopleVoices {
  private readonly voices = new Map<string, PersonEntry>();
  /** the recognizer's model is loaded (or downloaded) on first use; a failure is retried next time */
  private preparing: Promise<void> | null = null;

  constructor(private readonly d: PeopleVoicesDeps) {}

  private ready = (): Promise<void> => {
    if (!this.d.asr) return Promise.resolve();
    this.preparing ??= this.d.asr.prepare().catch((err: unknown) => {
      this.preparing = null;
      throw err;
    });
    return this.preparing;
  };

  private voiceOf(id: string): PersonEntry {
    let v = this.voices.get(id);
    if (v) return v;
    const entry = { voice: null as unknown as PersonVoice, gate: null as unknown as EchoGate<SpeechEnd>, liveLine: null as string | null };
    const dropLive = (): void => { if (entry.liveLine) this.d.log.remove(entry.liveLine); entry.liveLine = null; };
    entry.voice = new PersonVoice(this.d.asr, {
      started: () => { this.d.setSpeaking(id, true); return this.d.director.personStartsSpeaking(id); },
      confirmed: () => this.d.director.personInterrupts(id),
      partial: (text) => {
        if (!entry.liveLine) entry.liveLine = this.d.log.add({ kind: "person", speakerId: id, speakerName: this.d.personName(id), text, addressee: "", done: false }).id;
        else this.d.log.update(entry.liveLine, { text, heardText: text });
        this.d.director.personPartial(id, text);
      },
      message: (text, timing) => {
        this.d.setSpeaking(id, false);
        const lineId = entry.liveLine ?? undefined;
        entry.liveLine = null;
        this.d.director.onPersonMessage({ id, name: this.d.personName(id) }, text, { ...(lineId ? { lineId } : {}), ...(timing ? { trace: new LatencyTrace(timing) } : {}) });
      },
      dismissed: (reason, words) => {
        log.trace(() => `voice ${id} dismissed as ${reason}: ${JSON.stringify(words)}`);
        this.d.setSpeaking(id, false);
        dropLive();
        this.d.director.personSpeechDismissed(id);
      },
      error: (code, message) => {
        if (code === "asr_failed") { this.d.setSpeaking(id, false); dropLive(); this.d.director.personSpeechDismissed(id); }
        this.d.fail(id, code, message);
      },
    }, this.d.options, this.ready, undefined, this.d.turnModel ?? null);
    const voice = entry.voice;
    let relaying = false;
    const stopRelay = (): void => { if (relaying) { relaying = false; this.d.relay.end(id); } };
    entry.gate = new EchoGate<SpeechEnd>({
      start: () => { voice.start(); if (voice.speaking && !relaying) { relaying = true; this.d.relay.start(id); } },
      audio: (bytes) => { voice.audio(bytes); if (relaying && voice.speaking && bytes.byteLength % 2 === 0) this.d.relay.audio(id, bytes); },
      end: (e) => { stopRelay(); void voice.end(e); },
      cancel: () => { stopRelay(); voice.cancel(); },
    }, (pcm, endMs) => {
      const verdict = this.d.echo.judge(id, pcm, ASR_SAMPLE_RATE, endMs);
      log.trace(() => `voice ${id} ${pcm.length / 16} ms judged ${verdict} (${this.d.echo.score(id, pcm, ASR_SAMPLE_RATE, endMs).toFixed(2)} at ${Math.round(this.d.echo.lagOf(id))} ms, captured ${Math.round(performance.now() - endMs)} ms ago)`);
      return verdict;
    }, () => this.d.echo.playingSteadily(id, ECHO_GATE_DEFAULTS.steadyDecideAtMs) ? "steady" : this.d.echo.playedLately(id), {}, () => this.d.onEcho?.(id));
    this.voices.set(id, entry);
    v = entry;
    return v;
  }

  /** The person's page heard speech begin. */
  start(sessionId: string): void {
    log.trace(() => `voice ${sessionId} speech:start`);
    if (this.d.mayTalk(sessionId)) this.voiceOf(sessionId).gate.start();
  }

  /** One frame of their 16 kHz 16-bit PCM. */
  audio(sessionId: string, bytes: Uint8Array): void { this.voiceOf(sessionId).gate.audio(bytes); }

  /** Their page heard the speech end (after `silenceMs` of silence, or push-to-talk released). */
  end(sessionId: string, e: SpeechEnd): void {
    log.trace(() => `voice ${sessionId} speech:end${e.silenceMs !== undefined ? ` after ${e.silenceMs} ms of silence` : ""}`);
    this.voiceOf(sessionId).gate.end(e);
  }

  /** Their page took the speech back (too short to be speech). */
  cancel(sessionId: string): void {
    log.trace(() => `voice ${sessionId} speech:cancel`);
    this.voiceOf(sessionId).gate.cancel();
  }

  /** Speech held back as echo so far, by person (diagnostics, tests). */
  echoes(sessionId: string): number { return this.voices.get(sessionId)?.gate.echoes ?? 0; }

  /** The person left: their speech ends unheard and every pause they held is released. */
  leave(sessionId: string): void {
    const v = this.voices.get(sessionId);
    if (v) {
      if (v.gate.open) this.d.relay.end(sessionId);
      v.gate.close();
      v.voice.close();
      if (v.liveLine) this.d.log.remove(v.liveLine);
      this.voices.delete(sessionId);
    }
    this.d.director.personLeft(sessionId);
  }

  close(): void {
    for (const id of [...this.voices.keys()]) this.leave(id);
  }
}
