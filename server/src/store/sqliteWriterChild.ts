/**
 * A child process for the durability test: saves lines one after another and
 * prints each id once its save has resolved, until it is killed.
 */
import { SqliteStore } from "./SqliteStore.js";
import { line } from "./storeConformance.js";

const store = SqliteStore.open(process.argv[2]!);
for (let i = 0; ; i++) {
  const l = line(`line ${i} ${"x".repeat(i % 300)}`);
  await store.saveLine("main", l, null);
  if (i % 7 === 0) await store.saveLine("main", { ...l, heardText: "updated", interrupted: true }, null);
  process.stdout.write(`${l.id}\n`);
}
