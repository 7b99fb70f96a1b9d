/**
 * A child process for the shared-store test: saves `count` lines to one table of
 * the PostgreSQL at argv[2], printing each id once its save has resolved, then
 * reads the table back and prints what another process wrote to it.
 */
import { PostgresStore } from "./PostgresStore.js";
import { line } from "./storeConformance.js";

const [url, table, count] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const store = await PostgresStore.open(url);
for (let i = 0; i < count; i++) {
  const l = line(`from the child ${i}`, { at: Date.now() });
  await store.saveLine(table, l, null);
  process.stdout.write(`saved ${l.id}\n`);
}
for (const l of await store.allLines(table)) process.stdout.write(`read ${l.id}\n`);
await store.close();
