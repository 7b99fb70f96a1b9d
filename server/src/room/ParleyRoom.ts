/**
 * The Colyseus room, a table's thin door: lifecycle hooks, and every message
 * held to its budget, validated with zod at the edge (messages.ts) and
 * forwarded to its Table, which does the work. The room does not own the
 * table: the server's registry does, and a second room on the same table (a
 * duplicate, or one whose creation failed) is refused and cannot reach it. No
 * client's message, however malformed, and no exception in one handler can end
 * the process or disturb another client.
 */
import { Room, ServerError, type Client } from "@colyseus/core";
import { ErrorCode } from "@parley/shared";
import type { Access, Role } from "../access/Access.js";
import { DEFAULT_TABLE } from "../store/Store.js";
import { TABLE_LIMITS, type TableRegistry } from "../table/TableRegistry.js";
import type { Table } from "../table/Table.js";
import type { RoomState } from "../table/state.js";
import { ClientGuard, inspectFrame } from "./ClientGuard.js";
import { RoomDoor } from "./RoomDoor.js";
import { BYTE_MESSAGES, MESSAGES, type ByteEdge, type Edge } from "./messages.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

export { CLOSE_REMOVED } from "../table/Table.js";

/** What the server gives every table's room (the room type's options: never a client's). */
export interface RoomServices {
  /** the tables: each room opens one and is its door */
  tables: Pick<TableRegistry, "open" | "get">;
  /** who may join and what they may do */
  access: Access;
  /** told of every exception a handler or room timer let escape (a bug to find; the table goes on) */
  onFault?: (error: Error, where: string) => void;
}

/** What a room is created with: the table a client asked for, and the server's services. */
export interface ParleyRoomOptions { tableId?: unknown; services: RoomServices }

type RawMessageHandler = (client: Client, buffer: Uint8Array) => void;

export class ParleyRoom extends Room<{ state: InstanceType<typeof RoomState> }> {
  // one more than the people a table holds: the extra one hears "this table is full" from onAuth
  override maxClients = TABLE_LIMITS.maxPeople + 1;
  // past this Colyseus drops the client, counting messages as they reach the server: a talking
  // person sends ~31 microphone frames, ~16 mouth frames and up to 10 head poses a second, and
  // a busy event loop takes a second's worth at once; the per-type budgets answer politely first
  override maxMessagesPerSecond = 200;
  private readonly guard = new ClientGuard();
  private services: RoomServices | null = null;
  private table: Table | null = null;
  /** closes this room's door on the table (a no-op once another door is open) */
  private closeDoor: (() => void) | null = null;

  override async onCreate(options: ParleyRoomOptions): Promise<void> {
    this.services = options.services;
    this.guardFrames();
    const table = await options.services.tables.open(typeof options.tableId === "string" ? options.tableId : DEFAULT_TABLE);
    // a table has one door: a second room on it fails here, before it can touch anything
    this.closeDoor = table.attach(new RoomDoor(this, this.guard));
    this.table = table;
    // a table's room is its address (/t/<id>, joinById) and stays open while the server runs
    this.roomId = table.id;
    this.autoDispose = false;
    this.state = table.state;
    for (const [type, edge] of Object.entries(MESSAGES)) this.onMessage(type, (client, raw) => this.receive(client, type, edge, raw));
    for (const [type, edge] of Object.entries(BYTE_MESSAGES)) this.onMessageBytes(type, (client, bytes: unknown) => this.receiveBytes(client, type, edge, bytes));
    this.onMessage("*", (client, type) => {
      this.guard.note(client, "unknown message types");
      this.guard.fail(client, ErrorCode.unknownMessage, `Unknown message type "${String(type).slice(0, 40)}".`);
    });
  }

  /** A JSON message: within its budget, valid, then the table's. */
  private receive(client: Client, type: string, edge: Edge, raw: unknown): void {
    if (!this.table || !this.guard.allow(client, type)) return;
    const accepted = edge.accept(raw);
    if ("flaw" in accepted) {
      const flaw = accepted.flaw;
      if (edge.error !== undefined) { this.guard.fail(client, ErrorCode.badMessage, edge.error); return; }
      this.guard.note(client, "malformed messages");
      this.guard.fail(client, flaw?.code === "too_big" ? ErrorCode.tooLong : ErrorCode.badMessage, flaw ? `${flaw.path.join(".") || "message"}: ${flaw.message}` : "malformed message");
      return;
    }
    void Promise.resolve(accepted.forward(this.table, client.sessionId)).catch((err: unknown) => this.onUncaughtException(err as Error, "onMessage"));
  }

  /** A binary message: bytes, within its budget, then the table's. */
  private receiveBytes(client: Client, type: string, edge: ByteEdge, bytes: unknown): void {
    if (!this.table || (edge.budget && !this.guard.allow(client, type))) return;
    // a non-binary message can be addressed to a bytes handler too: check what arrived
    if (!(bytes instanceof Uint8Array)) { this.guard.fail(client, ErrorCode.badMessage, edge.error); return; }
    edge.forward(this.table, client.sessionId, bytes);
  }

  /**
   * Looks at every frame before Colyseus decodes it: an oversized or undecodable
   * frame gets a clear error and is dropped, and the connection stays. (Colyseus
   * would close the connection and print a stack trace for each one.)
   */
  private guardFrames(): void {
    const self = this as unknown as { _onMessage: RawMessageHandler };
    const original = self._onMessage.bind(this);
    self._onMessage = (client, buffer) => {
      const verdict = inspectFrame(buffer);
      if (verdict.ok) { original(client, buffer); return; }
      this.guard.note(client, verdict.cause);
      this.guard.fail(client, verdict.code, `Dropped ${verdict.cause}.`);
    };
  }

  /** An exception in any handler or room timer: logged once a minute per kind; the table goes on. */
  override onUncaughtException(error: Error, methodName: string): void {
    this.services?.onFault?.(error, methodName);
    log.errorOnce(`room ${this.roomId} ${methodName}`, `${methodName} failed: ${errorMessage(error)}`);
  }

  private roleOf(client: Client): Role { return (client.auth as { role?: Role } | undefined)?.role ?? "guest"; }

  /** Who may sit down: the invite decides the role; a full table says so. */
  override async onAuth(_client: Client, options: unknown): Promise<{ role: Role }> {
    const table = this.table!;
    const services = this.services!;
    const invite = typeof (options as { invite?: unknown } | null)?.invite === "string" ? (options as { invite: string }).invite : undefined;
    // the stored invite: another process may have revoked it since this table opened here
    const role = services.access.roleAt((await services.tables.get(table.id)) ?? table.record, invite);
    if (!role) throw new ServerError(4003, invite ? "This invite link is not valid (it may have been revoked): ask the host for a new one." : "This table is private: open it with the invite link its host gave you.");
    if (!table.reserve()) throw new ServerError(4004, `This table is full: ${TABLE_LIMITS.maxPeople} people are at it already.`);
    return { role };
  }

  override async onJoin(client: Client, options: unknown): Promise<void> {
    await this.table!.join(client.sessionId, this.roleOf(client), options);
  }

  override onLeave(client: Client): void {
    this.table?.leave(client.sessionId);
    this.guard.forget(client.sessionId);
  }

  /** The room goes (the server stops, or it was a duplicate): only its own door closes; the table lives on. */
  override onDispose(): void {
    this.closeDoor?.();
  }
}
