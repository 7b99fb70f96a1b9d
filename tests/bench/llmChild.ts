/**
 * Child process for memory figures: loads the model, opens a context with N
 * sequences as the app does (every sequence allocated up front), has each one
 * evaluate a character-sized prompt, and reports its RSS at each step. One
 * process per N, so freed memory from an earlier context cannot blur the numbers.
 */
import { getLlama } from "node-llama-cpp";

const [path, seqArg, ctxArg, threadsArg, promptArg] = process.argv.slice(2);
const sequences = Number(seqArg);
const llama = await getLlama({ gpu: false, build: "never" });
const before = process.memoryUsage().rss;
const model = await llama.loadModel({ modelPath: path! });
const afterModel = process.memoryUsage().rss;
const ctx = await model.createContext({ contextSize: Number(ctxArg), sequences, threads: Number(threadsArg) });
const afterContext = process.memoryUsage().rss;
// a character's prompt: persona, table and recent lines, about this many tokens
const words = "Ada said that the build was slow again and Theo wondered why nobody fixed it before the release. ";
const tokens = model.tokenize(words.repeat(Math.ceil(Number(promptArg ?? 1500) / 20))).slice(0, Number(promptArg ?? 1500));
for (let i = 0; i < sequences; i++) {
  const seq = ctx.getSequence();
  let n = 0;
  for await (const _t of seq.evaluate(tokens, { temperature: 0 })) if (++n >= 2) break;
}
process.stdout.write(JSON.stringify({ sequences, rssBefore: before, rssModel: afterModel, rssContext: afterContext, rss: process.memoryUsage().rss, contextSize: Number(ctxArg) }));
await ctx.dispose();
await model.dispose();
process.exit(0);
