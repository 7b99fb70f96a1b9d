/** `npm run doctor -- [flags]`: the same flags as npm start (see --help). */
import { loadCommandLine, commandLineHelp, ConfigError } from "../config.js";
import { errorMessage } from "../util/errors.js";
import { runDoctor } from "./doctor.js";

try {
  const cli = loadCommandLine(process.argv.slice(2));
  if (cli.help) process.stdout.write(commandLineHelp());
  else await runDoctor(cli.config);
  process.exit(0);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `doctor: ${errorMessage(err)}`);
  process.exit(1);
}
