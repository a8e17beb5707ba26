// Browser test: the real binary, the real UI, headless Debian Chromium (`/usr/bin/chromium`).
// Needs UPRAVNIK_BIN (path to the built binary); .ci/run sets it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, PASSWORD } from "./harness.mjs";

const SHOTS = process.env.UPRAVNIK_SCREENSHOTS || join(tmpdir(), "upravnik-screenshots");
let env, browser, base;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  env = await start("browser");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

test("sign in, switch scripts and languages, create a unit and an employee, see both in the work log", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(base + "/");
  await page.waitForURL(/\/login/);
  await page.fill("#username", "admin");
  await page.fill("#password", "wrong1pass");
  await page.click("button[type=submit].primary");
  await page.getByText("Погрешно корисничко име или лозинка.").waitFor();
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit].primary");
  await page.getByRole("heading", { name: "Добар дан, Милан" }).waitFor();
  await page.screenshot({ path: join(SHOTS, "home-cyrillic.png"), fullPage: true });

  // Serbian Latin, made from the Cyrillic strings; the user's name reads in Latin too.
  await page.click("button[value=sr-Latn]");
  await page.getByRole("heading", { name: "Dobar dan, Milan" }).waitFor();
  assert.equal(await page.locator("header a.user").innerText(), "Milan Stojanović");
  // English.
  await page.click("button[value=en]");
  await page.getByRole("heading", { name: "Good day, Milan" }).waitFor();

  // Create a unit: first with a missing name (the message appears by the field), then properly.
  await page.getByRole("link", { name: "People and access" }).click();
  await page.getByRole("link", { name: "Units", exact: true }).click();
  await page.getByRole("link", { name: "New unit" }).first().click();
  await page.fill("#f-code", "УЦ");
  await page.evaluate(() => document.querySelector("#f-name").removeAttribute("required"));
  await page.click("button.primary");
  await page.locator(".field.invalid .error").first().waitFor();
  assert.equal(await page.inputValue("#f-code"), "УЦ", "input kept after an error");
  await page.fill("#f-name", "Услужни центар");
  await page.click("button.primary");
  await page.getByRole("heading", { name: "Uslužni centar" }).waitFor();

  // Create an employee in that unit.
  await page.getByRole("link", { name: "Employees" }).click();
  await page.getByRole("link", { name: "New employee" }).first().click();
  await page.fill("#f-given_name", "Саша");
  await page.fill("#f-family_name", "Ђорђевић");
  await page.fill("#f-birth_date", "07.03.1980.");
  await page.selectOption("#f-unit_id", { label: "Uslužni centar" });
  await page.click("button.primary");
  await page.getByRole("heading", { name: "Saša Đorđević" }).waitFor();

  // Search finds her in Latin without diacritics; "/" focuses the search field.
  await page.getByRole("link", { name: "Employees" }).click();
  await page.keyboard.press("/");
  await page.keyboard.type("sasa djordjevic");
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Đorđević Saša" }).waitFor();

  // Live search (htmx): typing filters the list without a submit, and the address follows.
  await page.getByRole("link", { name: "Units", exact: true }).click();
  await page.fill("[data-search]", "zzz-nothing");
  await page.locator("#results .empty").waitFor();
  await page.fill("[data-search]", "usluz");
  await page.locator("#results").getByRole("link", { name: "Uslužni centar" }).waitFor();
  await page.waitForURL(/q=usluz/);

  // Both changes are in the work log.
  await page.getByRole("link", { name: "Work log" }).click();
  await page.getByRole("cell", { name: /Uslužni centar/ }).first().waitFor();
  await page.getByRole("cell", { name: /Saša Đorđević/ }).first().waitFor();
  // Back in Cyrillic, the same entries read as they were written.
  await page.click("button[value=sr-Cyrl]");
  await page.getByRole("cell", { name: /Услужни центар/ }).first().waitFor();
  await page.screenshot({ path: join(SHOTS, "worklog-english.png"), fullPage: true });
  await page.close();
});

test("the pages work without JavaScript", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.fill("#username", "admin");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit].primary");
  await page.waitForURL(base + "/");
  await page.goto(base + "/units/new");
  await page.fill("#f-name", "Писарница");
  await page.click("button.primary");
  await page.screenshot({ path: join(SHOTS, "nojs-unit.png"), fullPage: true });
  await page.getByRole("heading", { name: /Писарница|Pisarnica/ }).waitFor();
  await ctx.close();
});

test("while a fault is described, matching self-help articles from the knowledge base are offered", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(base + "/login");
  await page.fill("#username", "admin");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit].primary");
  await page.waitForURL(base + "/");
  // An empty knowledge base offers the Rulebook's instructions (R.47–R.51).
  await page.goto(base + "/kb");
  await page.locator("form[action='/kb/rulebook'] button").click();
  await page.waitForURL(/\/kb/);
  await page.goto(base + "/reports/new");
  const title = page.locator("form.form [name=title]");
  await title.waitFor();
  const box = page.locator("[data-kb-suggest]");
  assert.equal(await box.isHidden(), true, "nothing offered before typing");
  await title.pressSequentially("Штампач не штампа", { delay: 20 });
  await box.waitFor({ state: "visible" });
  const links = box.locator("a");
  assert.ok((await links.count()) >= 1, "at least one article");
  assert.match((await links.allInnerTexts()).join(" | "), /штамп/i);
  await page.screenshot({ path: join(SHOTS, "report-self-help.png"), fullPage: true });
  await page.close();
});
