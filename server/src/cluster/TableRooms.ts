/**
 * Where each table's room lives: in exactly one process, the first that opens
 * it (at start, when it is made, or when someone asks to join it and no live
 * process has it). Every process reserves seats in any table through Colyseus's
 * matchmaker; the seat reservation sends the page to the owning process.
 * When the owner is gone (killed, crashed), the next join anywhere finds that
 * out, clears its rooms from the shared listing and opens the table here, with
 * its history from the store.
 */
import { matchMaker } from "@colyseus/core";
import { withLock, type NameLock } from "./cluster.js";

/** how long one process may hold a table's "opening" lock, s (opening takes well under a second) */
const OPENING_LOCK_S = 30;

export interface TableRoomsDeps {
  lock: NameLock;
  /** whether a table exists (in the store) */
  exists: (tableId: string) => Promise<boolean>;
  /** the room name a table's room is defined under */
  roomName: (tableId: string) => string;
  /** the table joined by room name (joinOrCreate) rather than by id */
  defaultTable: { tableId: string; roomName: string };
}

type Invoke = typeof matchMaker.controller.invokeMethod;

export class TableRooms {
  /** opens under way in this process, per table */
  private readonly opening = new Map<string, Promise<boolean>>();

  constructor(private readonly d: TableRoomsDeps) {}

  /**
   * Makes sure a table's room is open in some live process; opens it here if not.
   * `checkOwner`: ask the listed owner whether it still lives (a join just failed).
   * Resolves true when this call opened the room.
   */
  open(tableId: string, checkOwner = false): Promise<boolean> {
    const have = this.opening.get(tableId);
    if (have) return have;
    const p = this.openOnce(tableId, checkOwner).finally(() => this.opening.delete(tableId));
    this.opening.set(tableId, p);
    return p;
  }

  private async live(tableId: string, checkOwner: boolean): Promise<boolean> {
    const listed = await matchMaker.getRoomById(tableId);
    if (!listed) return false;
    if (!checkOwner || listed.processId === matchMaker.processId) return true;
    // a dead owner's rooms are removed from the listing by the health check
    return (await matchMaker.healthCheckProcessId(listed.processId)) === true;
  }

  private async openOnce(tableId: string, checkOwner: boolean): Promise<boolean> {
    if (await this.live(tableId, checkOwner)) return false;
    if (!(await this.d.exists(tableId))) return false;
    return withLock(this.d.lock, `parley:opening:${tableId}`, OPENING_LOCK_S, async () => {
      // another process may have opened it while this one waited
      if (await this.live(tableId, false)) return false;
      await matchMaker.handleCreateRoom(this.d.roomName(tableId), { tableId });
      return true;
    });
  }

  /**
   * Every join by a table's id (or the default table's room name) first makes
   * sure the table is open somewhere; a join that fails because its owner died
   * reopens the table here and tries once more.
   */
  routeJoins(): () => void {
    const controller = matchMaker.controller;
    const original: Invoke = controller.invokeMethod.bind(controller);
    const tableOf = (method: string, roomName: string): string | null =>
      method === "joinById" ? roomName : (method === "joinOrCreate" || method === "join") && roomName === this.d.defaultTable.roomName ? this.d.defaultTable.tableId : null;
    const routed: Invoke = async (method, roomName, clientOptions, authOptions) => {
      const tableId = tableOf(method, roomName);
      if (!tableId) return original(method, roomName, clientOptions, authOptions);
      await this.open(tableId);
      try {
        return await original(method, roomName, clientOptions, authOptions);
      } catch (err) {
        if (!(await this.open(tableId, true))) throw err;
        return original(method, roomName, clientOptions, authOptions);
      }
    };
    controller.invokeMethod = routed;
    return () => { if (controller.invokeMethod === routed) controller.invokeMethod = original; };
  }
}
