// Browser test for the rules of work (issue 6, R.19, Prilog 3): an administrator publishes them
// from the rulebook's text; a new employee is asked at first sign-in, accepts, and lands where
// she was going; the administrator's list no longer shows her among those missing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("rules");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

async function page() {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  return ctx.newPage();
}

async function fillLogin(p, username, password) {
  await p.fill("#username", username);
  await p.fill("#password", password);
  await p.click("button[type=submit].primary");
}

test("a new employee accepts the rules of work at first sign-in", async () => {
  const admin = await page();
  await admin.goto(base + "/login");
  await fillLogin(admin, "admin", PASSWORD);
  await admin.waitForURL(base + "/");

  // Published from the rulebook's duties, offered in the form.
  await admin.goto(base + "/rules/new");
  const body = await admin.inputValue("[name=body]");
  assert.match(body, /лозинка има најмање 8 знакова/);
  await admin.locator("form.form button.primary").click();
  await admin.waitForURL(base + "/rules?ok=published");
  await admin.getByText("Верзија 1, објављена").waitFor();

  // The administrator accepts first (he is asked too) — through the page's button.
  await admin.getByRole("button", { name: "Прихватам правила рада" }).click();
  await admin.getByText("Прихваћено електронски").waitFor();

  const made = await admin.evaluate(async () => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const post = async (url, body) => {
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    const [ps, person] = await post("/api/v1/people", { given_name: "Тијана", family_name: "Стефановић" });
    const [as] = await post("/api/v1/accounts", { person_id: person.id, username: "tijana", password: "plava8reka", roles: ["employee"] });
    return { ps, as };
  });
  assert.deepEqual([made.ps, made.as], [201, 201]);

  // She wanted the fault form; the rules come first, then the form.
  const emp = await page();
  await emp.goto(base + "/reports/new");
  await emp.waitForURL(/\/login/);
  await fillLogin(emp, "tijana", "plava8reka");
  await emp.waitForURL(/\/rules\?next=/);
  await emp.getByText("Пре рада у систему прочитајте правила").waitFor();
  await emp.getByRole("button", { name: "Прихватам правила рада" }).click();
  await emp.waitForURL(base + "/reports/new");

  // Her statement is on her rules page; she is not among those missing.
  await emp.goto(base + "/rules");
  await emp.getByRole("link", { name: "Изјава (PDF)" }).waitFor();
  await admin.goto(base + "/rules/acceptances?missing=1");
  await admin.getByText("Верзију 1 прихватило је 2 од 2 запослених.").waitFor();
  assert.equal(await admin.getByText("Тијана Стефановић").count(), 0);
});
