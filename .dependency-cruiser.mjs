/**
 * Imports only run down the layers (docs/ARCHITECTURE.md). `npm test` runs this
 * (`npm run layers`) and fails on any import that runs up or sideways, with no
 * exceptions: a new folder of server/src has to be given its layer here first.
 *
 * SERVER_LAYERS lists server/src's folders (and its top-level files) from the
 * bottom up. A folder may import its own files and any folder of a layer below
 * its own; folders in one layer are peers and import nothing of each other.
 * Tests (*.test.ts) and testing/ sit above every layer: they may use anything,
 * and nothing uses them.
 */
export const SERVER_LAYERS = [
  /* what each setting means (config's help) */
  ["configHelp.ts"],
  /* foundation: helpers, configuration, the bundled characters' loader */
  ["util", "types", "config.ts", "characters.ts"],
  /* what every part shares: the languages and the server's words in them, the conversation log, model files' status, viseme cues */
  ["i18n", "conversation", "models", "lipsync"],
  /* providers: one kind each, each provider one file behind a small interface */
  ["llm", "tts", "asr"],
  /* a person's voice heard: when their turn ends, and what is only echo */
  ["voice"],
  /* storage, then who may do what, then word between processes */
  ["store"],
  ["access"],
  ["cluster"],
  /* the catalogue: avatars, character cards, portraits and the character library */
  ["avatars"],
  ["cards"],
  ["portrait", "library"],
  /* a spoken turn: its handle (the one place that reports back), then speech from text to paced chunks */
  ["turn"],
  ["speech"],
  /* a character's mind: its prompt and reply, then its memories */
  ["brain"],
  ["memory"],
  /* who speaks when; a turn flows from here down through brain and speech to the wire */
  ["director"],
  /* one table: its cast, log, director, memory, people, voices in and sound out */
  ["table"],
  /* the doors: the Colyseus room (thin) and the HTTP routes */
  ["room", "http"],
  /* the process */
  ["server.ts"],
  ["main.ts"],
  /* fakes and harnesses for tests */
  ["testing"],
  /* npm run doctor: measures this machine's providers, on generated models where real ones are missing */
  ["doctor"],
];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** a path regex for server/src's folder or top-level file `name` */
const at = (names) => `^server/src/(${names.map(esc).join("|")})(/|$)`;

const all = SERVER_LAYERS.flat();

const layerRules = SERVER_LAYERS.flatMap((layer, i) =>
  layer.map((name) => {
    const above = SERVER_LAYERS.slice(i + 1).flat();
    const peers = layer.filter((p) => p !== name);
    const below = SERVER_LAYERS.slice(0, i).flat();
    return {
      name: `layer:${name}`,
      severity: "error",
      comment: `server/src/${name} may import only ${below.length ? below.join(", ") : "nothing of server/src"} (the layers below its own); not ${[...peers, ...above].join(", ")}`,
      from: { path: at([name]), pathNot: "\\.test\\.ts$" },
      to: { path: at([...peers, ...above]) },
    };
  }),
);

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    ...layerRules,
    {
      name: "layer:unplaced",
      severity: "error",
      comment: "every folder of server/src has a layer in .dependency-cruiser.mjs (and docs/ARCHITECTURE.md)",
      from: { path: "^server/src/", pathNot: [at(all), "\\.test\\.ts$"] },
      to: {},
    },
    {
      name: "layer:unplaced-target",
      severity: "error",
      comment: "every folder of server/src has a layer in .dependency-cruiser.mjs (and docs/ARCHITECTURE.md)",
      from: {},
      to: { path: "^server/src/", pathNot: at(all) },
    },
    {
      name: "shared-stands-alone",
      severity: "error",
      comment: "shared/ (protocol, schemas, names) is used by server and client and uses neither",
      from: { path: "^shared/" },
      to: { path: "^(server|client)/" },
    },
    {
      name: "client-not-server",
      severity: "error",
      comment: "the client talks to the server over the wire; it imports shared/, never server/ code (its tests may use the server's fixtures)",
      from: { path: "^client/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^server/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)node_modules/", "(^|/)dist/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
