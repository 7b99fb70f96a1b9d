/** What the director is built with, and its timing knobs. */
import type { CharacterConfig, RoomSettings } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { Seat } from "../brain/prompt.js";
import type { MemoryReader } from "../brain/Brain.js";
import type { TurnEnv } from "./runTurn.js";
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

/** Who sits at the director's table: the table's cast, read live (the table changes it). */
export interface Seats {
  /** seated now, in seating order (not those saying goodbye) */
  readonly seated: readonly CharacterConfig[];
  /** everyone shown at the table: seated and saying goodbye */
  readonly list: readonly CharacterConfig[];
  /** seated or still saying goodbye */
  get(id: string): CharacterConfig | undefined;
}

/** Work that yields to people (preloads, memory writing): its signal is aborted when a person acts, then renewed. */
export interface BackgroundWork {
  readonly signal: AbortSignal;
  interrupt(reason: string): void;
}

export interface DirectorDeps extends Omit<TurnEnv, "table" | "unstreamed"> {
  /** who sits at the table; the table tells the director who sat down (`seat`) and who is leaving (`unseat`) */
  cast: Seats;
  /** preloads and memory writing: the director interrupts it whenever a person acts or a turn starts */
  background: BackgroundWork;
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
