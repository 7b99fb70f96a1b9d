/**
 * The UI's slow state (room snapshot, connection, errors), in a tiny vanilla store
 * React reads through useSyncExternalStore. Fast per-frame data never goes here.
 */
import { useSyncExternalStore } from "react";
import { DEFAULT_ROOM_SETTINGS, type RoomStateView, type ErrorPayload, type MemoryPayload, type ForgottenPayload } from "@parley/shared";

export interface UiState {
  connected: boolean;
  connecting: boolean;
  connectionError: string;
  /** the server refused this page for good (a wrong or revoked invite, removed by the host): no retrying */
  refused: boolean;
  roomId: string;
  sessionId: string;
  room: RoomStateView;
  /** the last error the server sent this client (`local`: raised in the page, already in its language) */
  lastError: (ErrorPayload & { at: number; local?: boolean }) | null;
  /** the character whose name card is open */
  selectedCharacter: string;
  /** what each character remembers about me, when asked */
  memory: Record<string, MemoryPayload>;
  /** what "forget everything about me" removed, once it has */
  forgotten: ForgottenPayload | null;
}

type Listener = () => void;

export class Store<T> {
  private listeners = new Set<Listener>();
  constructor(private state: T) {}
  get = (): T => this.state;
  set = (patch: Partial<T>): void => {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  };
  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export const EMPTY_ROOM: RoomStateView = {
  tableId: "",
  tableName: "",
  models: {},
  characters: {},
  people: {},
  transcript: [],
  llm: { ready: false, provider: "", model: "", error: "", demo: false, progress: 0, choice: "", measured: "" },
  settings: DEFAULT_ROOM_SETTINGS,
};

export const uiStore = new Store<UiState>({
  connected: false,
  connecting: true,
  connectionError: "",
  refused: false,
  roomId: "",
  sessionId: "",
  room: EMPTY_ROOM,
  lastError: null,
  selectedCharacter: "",
  memory: {},
  forgotten: null,
});

export function useUi<S>(select: (s: UiState) => S): S {
  return useSyncExternalStore(uiStore.subscribe, () => select(uiStore.get()));
}
