import { describe, it, expect } from "vitest";
import { placeOf, tableHref, withInvite } from "./place.js";

describe("the page's place", () => {
  it("reads the table and the invite from the address", () => {
    expect(placeOf("/", "")).toMatchObject({ page: "table", tableId: "main", invite: "" });
    expect(placeOf("/t/abc-1", "?invite=tok")).toMatchObject({ page: "table", tableId: "abc-1", invite: "tok" });
    expect(placeOf("/tables", "?invite=h")).toMatchObject({ page: "tables", invite: "h" });
    expect(placeOf("/t/%D0%A7%D0%B0%D0%B9", "")).toMatchObject({ tableId: "Чай" });
  });

  it("puts the invite on links and files", () => {
    const p = { page: "table" as const, tableId: "x", invite: "a b" };
    expect(withInvite("/avatars/character/ada?v=1", p)).toBe("/avatars/character/ada?v=1&invite=a%20b");
    expect(tableHref("main", p)).toBe("/?invite=a%20b");
    expect(tableHref("q1", p)).toBe("/t/q1?invite=a%20b");
    expect(withInvite("/x", { ...p, invite: "" })).toBe("/x");
    // never to another site
    expect(withInvite("https://example.com/avatar.vrm", p)).toBe("https://example.com/avatar.vrm");
    expect(withInvite("//example.com/a.vrm", p)).toBe("//example.com/a.vrm");
  });
});
