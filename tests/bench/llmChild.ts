/**
 * Child process for memory figures: loads the model, opens a context with N
 * sequences, touches each with a short prompt, and reports its RSS. One process
 * per N, so freed memory from an earlier context cannot blur the numbers.
 */
import { getLlama } from "node-llama-cpp";

const [path, seqArg, ctxArg, threadsArg] = process.argv.slice(2);
const sequences = Number(seqArg);
const llama = await getLlama({ gpu: false, build: "never" });
const before = process.memoryUsage().rss;
const model = await llama.loadModel({ modelPath: path! });
const ctx = await model.createContext({ contextSize: Number(ctxArg), sequences, threads: Number(threadsArg) });
const tokens = model.tokenize("Hello there, this is a short prompt to touch the cache.");
for (let i = 0; i < sequences; i++) {
  const seq = ctx.getSequence();
  let n = 0;
  for await (const _t of seq.evaluate(tokens, { temperature: 0 })) if (++n >= 2) break;
}
process.stdout.write(JSON.stringify({ sequences, rssBefore: before, rss: process.memoryUsage().rss, contextSize: ctx.contextSize }));
await ctx.dispose();
await model.dispose();
process.exit(0);
