/** `npm start` / `npm run demo`: start Parley and print where to open it. */
import { loadConfig, ConfigError } from "./config.js";
import { startParley } from "./server.js";
import { log } from "./util/log.js";

async function main(): Promise<void> {
  const config = loadConfig(undefined, process.argv.includes("--demo") ? { demo: true } : {});
  const parley = await startParley(config);
  log.info(`Parley is running: open ${parley.url}`);
  log.info(config.demo ? "LLM: the offline demo model (scripted replies)." : "LLM: loading in the background; the page shows its status.");
  const stop = (): void => {
    log.info("stopping...");
    parley.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
