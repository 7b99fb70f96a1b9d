/** The microphone's fast-changing status, outside React (the UI polls it per frame). */
export type MicState = "off" | "starting" | "on" | "muted" | "error";
export type MicMode = "handsfree" | "ptt";

export interface VoiceStatus {
  mic: MicState;
  mode: MicMode;
  /** speech detected now (or push-to-talk held) */
  speaking: boolean;
  /** input level 0..1 (RMS of the last frame, scaled) */
  level: number;
  error: string;
  /** the browser's name for the error ("NotAllowedError"), so the page can say it in its language */
  errorName: string;
  /** Date.now() when the microphone stream opened */
  micOpenedAt: number;
  /** Date.now() of each detected speech onset */
  onsets: number[];
  /** frames sent to the room */
  framesSent: number;
  /** the end-of-speech silence the detector waits now, ms (short when the server's end-of-turn model decides) */
  silenceMs: number;
  /** 32 ms frames the detector has seen since the microphone opened */
  frames: number;
  /**
   * The microphone stream's clock: the earliest arrival of a frame, minus the
   * audio up to its end (wall ms); stream sample s was captured at about
   * captureStartAt + s / 16 (benchmarks place fed audio with it)
   */
  captureStartAt: number;
  /** where sound began after at least 300 ms of digital quiet, in stream samples at 16 kHz (benchmarks find fed phrases with it) */
  soundOnsets: number[];
  /** silence the detector reported with each end of speech, ms */
  endSilences: number[];
  /**
   * each end of speech, wall ms on the stream's clock: the last sound (where the
   * latency panel starts), the end of the detector's last speech frame, and when
   * the page sent the report (benchmarks compare them with the fed audio)
   */
  speechEnds: { soundAt: number; detectedAt: number; sentAt: number }[];
}

export const voiceStatus: VoiceStatus = {
  mic: "off", mode: "handsfree", speaking: false, level: 0, error: "", errorName: "", micOpenedAt: 0, onsets: [], framesSent: 0,
  silenceMs: 0, frames: 0, captureStartAt: 0, soundOnsets: [], endSilences: [], speechEnds: [],
};
