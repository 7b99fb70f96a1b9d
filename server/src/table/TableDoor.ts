/**
 * What a table says to the pages at it, through the one door it has open (its
 * Colyseus room): to everyone, to everyone but one, to one page, an error to
 * one page, and asking a page to leave. The table works in session ids and
 * never sees a connection. A table has at most one door at a time: a second
 * room opened on the same table (a duplicate, or one whose creation failed) is
 * refused and cannot reach the table's objects; the table outlives its door.
 */
import type { ErrorCode } from "@parley/shared";

export interface TableDoor {
  /** the pages at the table now */
  sessions(): readonly string[];
  broadcast(type: string, message: unknown, except?: string): void;
  broadcastBytes(type: string, bytes: Uint8Array, except?: string): void;
  send(sessionId: string, type: string, message: unknown): void;
  /** an error for that page only (the door keeps errors to a polite rate) */
  fail(sessionId: string, code: ErrorCode, message: string): void;
  /** the page is asked to leave the table (the host removed that person) */
  dismiss(sessionId: string, code: number, reason: string): void;
}

/** A table already has its door open: a second room cannot open it. */
export class TableBusy extends Error {
  constructor(tableId: string) { super(`table "${tableId.slice(0, 40)}" is already open in another room`); }
}

const CLOSED: TableDoor = {
  sessions: () => [],
  broadcast: () => {},
  broadcastBytes: () => {},
  send: () => {},
  fail: () => {},
  dismiss: () => {},
};

/** The table's side of its door: whatever is said goes through the door open now (none: nobody hears it). */
export class Doorway implements TableDoor {
  private door: TableDoor = CLOSED;

  constructor(private readonly tableId: string) {}

  /**
   * Opens the table to `door`; returns its close, which closes only that door
   * (true when it did). Throws TableBusy while another door is open.
   */
  open(door: TableDoor): () => boolean {
    if (this.door !== CLOSED) throw new TableBusy(this.tableId);
    this.door = door;
    return () => {
      if (this.door !== door) return false;
      this.door = CLOSED;
      return true;
    };
  }

  /** whether `door` is the one open now */
  holds(door: TableDoor): boolean { return this.door === door; }

  sessions(): readonly string[] { return this.door.sessions(); }
  broadcast(type: string, message: unknown, except?: string): void { this.door.broadcast(type, message, except); }
  broadcastBytes(type: string, bytes: Uint8Array, except?: string): void { this.door.broadcastBytes(type, bytes, except); }
  send(sessionId: string, type: string, message: unknown): void { this.door.send(sessionId, type, message); }
  fail(sessionId: string, code: ErrorCode, message: string): void { this.door.fail(sessionId, code, message); }
  dismiss(sessionId: string, code: number, reason: string): void { this.door.dismiss(sessionId, code, reason); }
}
