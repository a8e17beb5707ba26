// Browser test of licensed software (issue 7, R.29–R.30): a real Windows inventory reaches the
// agent endpoint; the administrator makes a program of an unrecognised name, sees it on the
// compliance page as a removal task, records a licence on the program's page, and the task is gone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("software");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

const inventory = fileURLToPath(new URL("../../crates/upravnik-inventory/tests/data/xml-testdata/inventory_format-tests-12.xml", import.meta.url));

test("an unlicensed program becomes a removal task and a licence closes it", async () => {
  // The workstation's agent reports (no session: the agent endpoint).
  const r = await fetch(base + "/inventory", { method: "POST", headers: { "Content-Type": "application/xml" }, body: readFileSync(inventory) });
  assert.equal(r.status, 200, await r.text());

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await ctx.newPage();
  await p.goto(base + "/login");
  await p.fill("#username", "admin");
  await p.fill("#password", PASSWORD);
  await p.click("button[type=submit].primary");
  await p.waitForURL(base + "/");

  // The suggestion list names what the inventory holds; CCleaner becomes a program.
  await p.goto(base + "/software/unrecognised");
  const row = p.locator("tr", { hasText: "CCleaner" });
  await row.getByRole("link", { name: "нови програм" }).click();
  await p.waitForURL(/\/software\/new\?name=CCleaner/);
  assert.equal(await p.inputValue("[name=name]"), "CCleaner");
  assert.equal(await p.inputValue("[name=pattern]"), "CCleaner");
  await p.selectOption("[name=category]", "system_application");
  await p.locator("form.form button.primary").click();
  await p.waitForURL(/\/software\/\d+\?ok=created/);
  const productUrl = p.url().split("?")[0];
  await p.getByText("без лиценце").first().waitFor();

  // Compliance: one program without a licence, its removal task on the workstation.
  await p.goto(base + "/software/compliance");
  const tasks = p.locator("section", { has: p.getByRole("heading", { name: "Задаци уклањања (члан 30)" }) });
  await tasks.getByRole("link", { name: "CCleaner" }).waitFor();
  assert.match(await p.locator("ul.counts").innerText(), /1 програма без лиценце/);

  // A licence for one device, through the program's page; the task closes.
  await p.goto(productUrl);
  await p.getByText("Додај лиценцу").click();
  await p.selectOption("[name=kind]", "per_device");
  await p.fill("[name=seats]", "1");
  await p.fill("[name=contract]", "Уговор 404-7/2026");
  await p.locator("form[action$='/licences'] button.primary").click();
  await p.waitForURL(productUrl + "?ok=saved");
  await p.getByText("Уговор 404-7/2026").waitFor();
  await p.goto(base + "/software/compliance");
  await p.getByText("Нема задатака уклањања.").waitFor();
  await p.goto(base + "/software/compliance?status=all");
  await tasks.getByText("покривен лиценцом").waitFor();
  await ctx.close();
});
