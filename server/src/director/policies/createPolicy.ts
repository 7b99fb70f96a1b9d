import type { Chooser } from "./LlmPolicy.js";
import { LlmPolicy } from "./LlmPolicy.js";
import { ListPolicy } from "./ListPolicy.js";
import { ManualPolicy } from "./ManualPolicy.js";
import { NaturalPolicy } from "./NaturalPolicy.js";
import { PooledPolicy } from "./PooledPolicy.js";
import type { PolicyName, TurnPolicy } from "./types.js";

export function createPolicy(name: PolicyName, chooser: Chooser): TurnPolicy {
  switch (name) {
    case "natural": return new NaturalPolicy();
    case "pooled": return new PooledPolicy();
    case "list": return new ListPolicy();
    case "llm": return new LlmPolicy(chooser);
    case "manual": return new ManualPolicy();
  }
}
