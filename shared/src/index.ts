export * from "./names.js";
export * from "./protocol.js";
export * from "./character.js";
export * from "./random.js";
export * from "./language.js";
export * from "./card.js";
export * from "./asides.js";
