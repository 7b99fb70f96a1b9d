import type { Script } from "./scriptedModel.js";

/**
 * What the demo model can say. Generic on purpose: every character shares the one
 * scripted model, and the banner tells the user it is a demo.
 */
export const DEMO_SCRIPT: Script = {
  stages: [
    [
      "[happy] Hello, it is good to hear from you!",
      "[surprised] Oh, a new voice at the table, welcome.",
      "[relaxed] Welcome, pull up a chair and stay a while.",
      "[neutral] Hi there, I am listening.",
    ],
    [
      "I am speaking through a tiny demo model, so my words come from a script.",
      "Everything you hear is made right here on your own machine, nothing leaves it.",
      "Point Parley at a real model and I will answer you for real.",
      "My voice comes from an offline speech engine, and my lips follow every sound.",
    ],
    [
      "[happy] What shall we talk about next?",
      "[relaxed] Ask me anything, or talk to my friends.",
      "[sad] Sadly, that is all my little script allows.",
      "",
    ],
  ],
};
