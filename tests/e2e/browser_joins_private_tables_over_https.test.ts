/**
 * A private server over HTTPS with the certificate Parley made: Chromium trusts
 * exactly that certificate (its public key pinned, nothing else), loads the
 * client and joins — the host by the host's link, a guest by a table's invite —
 * and a wrong invite gets the refusal page.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { waitForDebug } from "../support/pageDebug.js";

let app: Booted;
let browser: Browser;
beforeAll(async () => {
  ensureClientBuilt();
  app = await boot({ PARLEY_PRIVATE: "1", PARLEY_TLS: "1" });
  const spki = app.parley.tls!.spki;
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spki}`]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("private tables in Chromium over HTTPS", () => {
  it("loads over TLS and joins as the host, or as a guest of one table, and refuses a wrong invite", async () => {
    expect(app.parley.url).toMatch(/^https:/);
    const hostPage = await browser.newPage({ viewport: { width: 800, height: 500 } });
    await hostPage.goto(app.parley.hostLink);
    const asHost = await waitForDebug(hostPage, (d) => d.connected, 30_000, "the host joined");
    expect(asHost).toMatchObject({ tableId: "main", role: "host" });
    // the host makes a table in the page, and lands at it
    await hostPage.goto(app.parley.hostLink.replace(/\/\?/, "/tables?"));
    await hostPage.getByRole("textbox", { name: "Name" }).fill("Tea and talk");
    await hostPage.getByRole("checkbox", { name: "Theo" }).check();
    await hostPage.getByRole("button", { name: "Create the table" }).click();
    await hostPage.waitForURL(/\/t\/[^/?]+\?invite=/, { timeout: 15_000 });
    const atTable = await waitForDebug(hostPage, (d) => d.connected, 30_000, "the host at the new table");
    expect(atTable.role).toBe("host");
    expect(Object.keys(atTable.characters)).toEqual(["theo"]);
    const tableId = atTable.tableId;
    const { invite } = (await app.parley.tables.get(tableId))!;

    const guestPage = await browser.newPage({ viewport: { width: 800, height: 500 } });
    await guestPage.goto(`${app.parley.url}/t/${tableId}?invite=${invite}`);
    const guest = await waitForDebug(guestPage, (d) => d.connected, 30_000, "the guest joined");
    expect(guest).toMatchObject({ tableId, role: "guest" });

    const refused = await browser.newPage();
    const res = await refused.goto(`${app.parley.url}/t/${tableId}?invite=wrong`);
    expect(res?.status()).toBe(403);
    expect(await refused.getByRole("heading").textContent()).toMatch(/does not open a table/);
  });
});
