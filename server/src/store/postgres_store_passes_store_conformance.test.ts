import { afterAll, beforeAll } from "vitest";
import { describeStore } from "./storeConformance.js";
import { PostgresStore } from "./PostgresStore.js";
import { startPostgres, type RunningPostgres } from "../../../tests/support/postgres.js";

// one real PostgreSQL for the file; every test gets a database of its own
let server: RunningPostgres;
let url = "";
let n = 0;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

describeStore("postgres", {
  async fresh() {
    url = await server.createDatabase(`conformance_${++n}`);
    return PostgresStore.open(url);
  },
  async reopen() { return PostgresStore.open(url); },
});
