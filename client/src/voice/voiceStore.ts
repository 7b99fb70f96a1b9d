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
}

export const voiceStatus: VoiceStatus = { mic: "off", mode: "handsfree", speaking: false, level: 0, error: "", errorName: "", micOpenedAt: 0, onsets: [], framesSent: 0 };
