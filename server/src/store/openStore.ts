/**
 * Which store a server keeps its tables in, decided here only: PostgreSQL when
 * PARLEY_DATABASE_URL is set (processes sharing tables), else the embedded
 * SQLite file in the data dir (one process).
 */
import { join } from "node:path";
import type { ParleyConfig } from "../config.js";
import type { Store } from "./Store.js";
import { SqliteStore } from "./SqliteStore.js";
import { PostgresStore } from "./PostgresStore.js";

export async function openStore(config: Pick<ParleyConfig, "databaseUrl" | "dataDir">): Promise<Store> {
  return config.databaseUrl ? PostgresStore.open(config.databaseUrl) : SqliteStore.open(join(config.dataDir, "parley.sqlite"));
}
