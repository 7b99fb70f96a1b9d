export * from "./names.js";
export * from "./protocol.js";
export * from "./character.js";
export * from "./random.js";
export * from "./seats.js";
export * from "./people.js";
export * from "./language.js";
