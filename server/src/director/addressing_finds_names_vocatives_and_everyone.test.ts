import { describe, it, expect } from "vitest";
import { whoIsAddressed } from "./addressing.js";

const roster = [
  { id: "ada", name: "Ada", nicknames: ["Ads", "Ада", "艾达"] },
  { id: "theo", name: "Theo", nicknames: ["Тео", "西奥"] },
  { id: "juno", name: "Juno", nicknames: ["Юнона", "朱诺"] },
  { id: "max", name: "Максим", nicknames: [] },
];
const ids = (t: string): string[] => whoIsAddressed(t, roster).ids;

describe("who is addressed", () => {
  it("finds English names, nicknames and possessives", () => {
    expect(ids("Hello, Ada!")).toEqual(["ada"]);
    expect(ids("ads, come on")).toEqual(["ada"]);
    expect(ids("What is Theo's view?")).toEqual(["theo"]);
    expect(ids("I read the Theology book")).toEqual([]);
  });

  it("puts the vocative before a mere mention", () => {
    expect(ids("I talked to Ada yesterday, Theo.")).toEqual(["theo", "ada"]);
    expect(ids("Juno, what would Ada say?")).toEqual(["juno", "ada"]);
    expect(ids("Hey Theo what do you think about Juno's plan")).toEqual(["theo", "juno"]);
  });

  it("understands Russian case endings and vocatives", () => {
    expect(ids("Ада, привет!")).toEqual(["ada"]);
    expect(ids("Спроси у Ады")).toEqual(["ada"]);
    expect(ids("Я согласен с Адой")).toEqual(["ada"]);
    expect(ids("Максим, а ты как думаешь?")).toEqual(["max"]);
    expect(ids("Скажи Максиму")).toEqual(["max"]);
    expect(ids("Тео, что скажешь?")).toEqual(["theo"]);
    expect(ids("Юноне понравится")).toEqual(["juno"]);
  });

  it("finds Chinese names without word boundaries", () => {
    expect(ids("艾达，你好！")).toEqual(["ada"]);
    expect(ids("西奥你怎么看？")).toEqual(["theo"]);
    expect(ids("我觉得朱诺说得对")).toEqual(["juno"]);
  });

  it("recognises the whole table and pairs", () => {
    expect(whoIsAddressed("Hi everyone!", roster)).toMatchObject({ everyone: true, pair: false, ids: [] });
    expect(whoIsAddressed("Всем привет", roster).everyone).toBe(true);
    expect(whoIsAddressed("大家好", roster).everyone).toBe(true);
    expect(whoIsAddressed("What do you two think?", roster).pair).toBe(true);
    expect(whoIsAddressed("А вы оба что скажете?", roster).pair).toBe(true);
    expect(whoIsAddressed("你们俩怎么看", roster).pair).toBe(true);
    expect(whoIsAddressed("Theo and Ada, both of you", roster)).toMatchObject({ pair: true, ids: ["theo", "ada"] });
  });
});
