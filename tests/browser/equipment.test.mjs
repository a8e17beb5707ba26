// Browser test for the equipment registry (issue 3): register a workstation, assign it to an
// employee at a workplace, print its card and check the PDF's text with pdftotext.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("equipment");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

test("register a workstation, assign it, print its card", async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(base + "/login");
  await page.fill("#username", "admin");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit].primary");
  await page.waitForURL(base + "/");

  // A unit, a workplace in it, and an employee at that workplace.
  await page.goto(base + "/units/new");
  await page.fill("#f-name", "Писарница");
  await page.click("button.primary");
  await page.getByRole("heading", { name: "Писарница" }).waitFor();
  await page.goto(base + "/workplaces/new");
  await page.fill("#f-name", "Шалтер 2");
  await page.selectOption("#f-unit_id", { label: "Писарница" });
  await page.click("button.primary");
  await page.getByRole("heading", { name: "Шалтер 2" }).waitFor();
  await page.goto(base + "/people/new");
  await page.fill("#f-given_name", "Љиљана");
  await page.fill("#f-family_name", "Ђорђевић");
  await page.selectOption("#f-unit_id", { label: "Писарница" });
  await page.selectOption("#f-workplace_id", { label: "Писарница — Шалтер 2" });
  await page.click("button.primary");
  await page.getByRole("heading", { name: "Љиљана Ђорђевић" }).waitFor();

  // Register the workstation: the next free label is offered (R.12).
  await page.getByRole("link", { name: "Опрема" }).click();
  await page.getByRole("link", { name: "Ново средство" }).first().click();
  await page.getByText("Следећа слободна ознака: ST 01").waitFor();
  await page.selectOption("#f-kind", "workstation");
  await page.fill("#f-inventory_number", "000777");
  await page.fill("#f-label", "ST 01");
  await page.fill("#f-manufacturer", "Dell");
  await page.fill("#f-ip", "10.0.0.77");
  await page.fill("#f-mac", "00-1a-2b-3c-4d-5e");
  await page.click("button.primary");
  await page.getByRole("heading", { name: "000777 ST 01" }).waitFor();

  // Assign it to Ljiljana at her workplace.
  await page.getByRole("link", { name: "Задужи" }).click();
  await page.selectOption("#f-person_id", { label: "Ђорђевић Љиљана" });
  await page.selectOption("#f-workplace_id", { label: "Писарница — Шалтер 2" });
  await page.click("button.primary");
  await page.getByText("задужено").first().waitFor();

  // The card, as the browser downloads it with the session.
  const res = await page.request.get(base + page.url().replace(base, "").split("?")[0] + "/card.pdf");
  assert.equal(res.headers()["content-type"], "application/pdf");
  const file = join(mkdtempSync(join(tmpdir(), "upravnik-card-")), "card.pdf");
  writeFileSync(file, await res.body());
  const text = spawnSync("pdftotext", [file, "-"], { encoding: "utf8" });
  assert.equal(text.status, 0, "pdftotext (poppler-utils) is needed");
  for (const s of ["Картон радне станице", "ST 01", "Љиљана Ђорђевић", "Шалтер 2", "10.0.0.77", "00:1A:2B:3C:4D:5E"]) {
    assert.ok(text.stdout.includes(s), `${s} on the card:\n${text.stdout}`);
  }
  await page.close();
});
