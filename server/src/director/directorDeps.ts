/** What the director is built with, and its timing knobs. */
import type { CharacterConfig, RoomSettings } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { Seat } from "../brain/prompt.js";
import type { MemoryReader } from "../brain/Brain.js";
import type { TurnEnv } from "../turn/runTurn.js";
import type { CharacterPresence } from "./showTable.js";

export const DIRECTOR_TIMING = {
  /** silence between two characters' lines, ms (people leave ~200 ms) */
  pauseMs: 150,
  pauseJitterMs: 60,
  /** how long an interrupter and the interrupted overlap, ms */
  overlapMs: 150,
  /** "everyone talks" stops after this long without a person, ms */
  maxAutoMs: 120_000,
  /** a person asked by name gets this long to answer before the characters go on, ms */
  waitForPersonMs: 4000,
};

export interface DirectorDeps extends Omit<TurnEnv, "table" | "unstreamed"> {
  characters: readonly CharacterConfig[];
  llm: LlmHost;
  presence: CharacterPresence;
  /** the people currently at the table */
  people: () => Seat[];
  settings: () => RoomSettings;
  maxTokens: number;
  historyLines?: number;
  /** false runs the naive unstreamed pipeline (benchmarks only) */
  streaming?: () => boolean;
  memory?: MemoryReader;
  rng?: () => number;
  /** the table's prefix for LLM sequence keys */
  llmKeyPrefix?: string;
  /** a character that said goodbye has left (the room takes it off the table) */
  onCharacterLeft?: (characterId: string) => void;
  timing?: Partial<typeof DIRECTOR_TIMING>;
}
