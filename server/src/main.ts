/** `npm start` / `npm run demo`: start Parley and print where to open it. */
import { loadCommandLine, commandLineHelp, ConfigError } from "./config.js";
import { startParley } from "./server.js";
import { log } from "./util/log.js";
import { qrOf, tlsAdvice } from "./access/hostLink.js";

/**
 * The last line of defence: an exception nothing caught (a timer, a stream) is
 * logged, once a minute per kind, and the other tables go on.
 */
function keepRunning(): void {
  process.on("uncaughtException", (err) => log.errorOnce(`uncaught ${err.name}`, `uncaught ${err.name}: ${err.message} (at ${err.stack?.split("\n")[1]?.trim() ?? "?"})`));
  process.on("unhandledRejection", (reason) => log.errorOnce("unhandled rejection", `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
}

async function main(): Promise<void> {
  keepRunning();
  const cli = loadCommandLine(process.argv.slice(2));
  if (cli.help) { process.stdout.write(commandLineHelp()); return; }
  const { config } = cli;
  const parley = await startParley(config);
  if (parley.access.privateMode) {
    log.info(`Parley is running: open ${parley.hostLink}`);
    log.info("That is your host link: it makes you the host of every table. Keep it to yourself; invite friends with a table's invite link (the Tables menu in the page).");
    process.stdout.write(`${await qrOf(parley.hostLink)}\n`);
  } else {
    log.info(`Parley is running: open ${parley.url}`);
  }
  if (parley.tls) for (const line of tlsAdvice(parley.tls)) log.info(line);
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
