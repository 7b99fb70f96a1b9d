/**
 * A Colyseus room as its table's door: what the table says to session ids goes
 * to the room's clients (errors through the client guard, which keeps them to
 * a polite rate).
 */
import type { Client, Room } from "@colyseus/core";
import type { ErrorCode } from "@parley/shared";
import type { TableDoor } from "../table/TableDoor.js";
import type { ClientGuard } from "./ClientGuard.js";

export class RoomDoor implements TableDoor {
  constructor(private readonly room: Room, private readonly guard: ClientGuard) {}

  private client(sessionId: string | undefined): Client | undefined {
    return sessionId === undefined ? undefined : this.room.clients.getById(sessionId);
  }

  sessions(): readonly string[] { return this.room.clients.map((c) => c.sessionId); }

  broadcast(type: string, message: unknown, except?: string): void {
    const client = this.client(except);
    this.room.broadcast(type, message, client ? { except: client } : undefined);
  }

  broadcastBytes(type: string, bytes: Uint8Array, except?: string): void {
    const client = this.client(except);
    this.room.broadcastBytes(type, bytes, client ? { except: client } : {});
  }

  send(sessionId: string, type: string, message: unknown): void { this.client(sessionId)?.send(type, message); }

  fail(sessionId: string, code: ErrorCode, message: string): void {
    const client = this.client(sessionId);
    if (client) this.guard.fail(client, code, message);
  }

  dismiss(sessionId: string, code: number, reason: string): void { this.client(sessionId)?.leave(code, reason); }
}
