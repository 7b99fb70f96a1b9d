/**
 * A table's cast changed through a process the table does not live in (with
 * PARLEY_REDIS_URL): that process keeps the change in the store and says so on
 * the table's cast topic; the process the table's room is open in reads the
 * stored cast and seats or unseats at once (a greeting, a goodbye), as if the
 * host had asked it directly. A process without the room brings its copy of
 * the cast up to date from the store before each use, so it never changes a
 * cast it last saw long ago.
 */
import type { CharacterLibrary } from "../library/CharacterLibrary.js";
import type { Cast } from "./Cast.js";
import type { Store } from "../store/Store.js";
import { castTopic, type LibraryBus } from "../cluster/LibraryBus.js";
import { log } from "../util/log.js";
import { errorMessage } from "../util/errors.js";

export class CastAcrossProcesses {
  private cast: Cast | null = null;
  /** reads of the stored cast, one after another */
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly tableId: string,
    private readonly store: Pick<Store, "table">,
    private readonly library: Pick<CharacterLibrary, "sync">,
    private readonly bus: LibraryBus,
  ) {}

  /** Follows the topic for this cast; the room open here acts on what it hears. */
  attach(cast: Cast): void {
    this.cast = cast;
    this.bus.subscribe(castTopic(this.tableId), () => {
      if (!cast.live) return;
      this.refresh().catch((err: unknown) => log.error(`table ${this.tableId}: a cast change made elsewhere was not applied (${errorMessage(err)})`));
    });
  }

  /** The cast was saved: when the room is not here, the process it is in hears of it. */
  saved(): void {
    if (this.cast && !this.cast.live) this.bus.publish(castTopic(this.tableId), {});
  }

  /** Makes the cast the stored one (characters made elsewhere read first). */
  refresh(): Promise<void> {
    const run = this.reading.catch(() => {}).then(async () => {
      const t = await this.store.table(this.tableId);
      if (!t || !this.cast) return;
      for (const id of t.characters) await this.library.sync(id);
      this.cast.follow(t.characters);
    });
    this.reading = run;
    return run;
  }
}
