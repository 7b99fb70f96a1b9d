import { describe, it, expect } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { addressedCharacters, pickResponder } from "./pickResponder.js";

const cast = [
  CharacterConfig.parse({ id: "ada", name: "Ada", nicknames: ["Ads"], persona: "engineer", talkativeness: 0.6, avatar: "ada.vrm" }),
  CharacterConfig.parse({ id: "theo", name: "Theo", persona: "philosopher", talkativeness: 0.4, avatar: "theo.vrm" }),
  CharacterConfig.parse({ id: "juno", name: "Juno", persona: "assistant", talkativeness: 0.8, avatar: "juno.vrm" }),
];

describe("who answers a person", () => {
  it("is the character named, wherever the name is and whatever its case", () => {
    expect(pickResponder("Hello, Ada!", cast, new Map())).toBe("ada");
    expect(pickResponder("what do you think, THEO?", cast, new Map())).toBe("theo");
    expect(pickResponder("ads, come on", cast, new Map())).toBe("ada");
  });

  it("does not match a name inside another word", () => {
    expect(addressedCharacters("I read the Theology book and adapted it", cast)).toEqual([]);
  });

  it("lists several named characters in the order they are named", () => {
    expect(addressedCharacters("Juno and Ada, listen", cast)).toEqual(["juno", "ada"]);
  });

  it("is otherwise the one who has spoken least, ties to the most talkative", () => {
    expect(pickResponder("hi all", cast, new Map())).toBe("juno");
    expect(pickResponder("hi all", cast, new Map([["juno", 2], ["ada", 1]]))).toBe("theo");
    expect(pickResponder("hi all", cast, new Map([["juno", 1], ["ada", 1], ["theo", 1]]))).toBe("juno");
  });
});
