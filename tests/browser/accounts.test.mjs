// Browser test for account requests (issue 6, R.19, Prilog 2–3): the head of unit requests an
// account for a new employee from the catalogue of applications, an administrator carries it
// out with the username (R.18), and the new employee signs in and accepts the rules of work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("accounts");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

async function signIn(username, password, landing = base + "/") {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit].primary");
  await page.waitForURL(landing);
  return page;
}

async function badge(page, text) {
  await page.locator(".head .badge", { hasText: text }).waitFor();
}

test("the head requests an account, the administrator carries it out, the new employee accepts the rules", async () => {
  const admin = await signIn("admin", PASSWORD);

  // The standard catalogue of applications (R.17), through its confirmation page.
  await admin.goto(base + "/applications");
  await admin.getByRole("link", { name: "Додај стандардни каталог" }).first().click();
  await admin.locator("form.form button.primary").click();
  await admin.waitForURL(base + "/applications?ok=created");
  await admin.getByRole("link", { name: "ОПИС — управљање предметима" }).waitFor();

  // A unit, its head with an account, and the new employee without one yet.
  const made = await admin.evaluate(async () => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const post = async (url, body) => {
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    const [, unit] = await post("/api/v1/units", { name: "Одсек за буџет" });
    const [, head] = await post("/api/v1/people", { given_name: "Весна", family_name: "Илић", unit_id: unit.id });
    const [hs] = await post("/api/v1/accounts", { person_id: head.id, username: "vesna", password: "plava8reka", roles: ["employee", "head_of_unit"] });
    const [, marko] = await post("/api/v1/people", { given_name: "Марко", family_name: "Костић", unit_id: unit.id });
    return { hs, marko };
  });
  assert.equal(made.hs, 201, JSON.stringify(made));

  // The head fills the first part (Prilog 2): applications and roles, internet.
  const head = await signIn("vesna", "plava8reka");
  await head.goto(base + "/account-requests/new");
  await head.selectOption("#f-person_id", String(made.marko.id));
  await head.getByLabel("ОПИС — управљање предметима").selectOption("обрађивач предмета");
  await head.getByLabel("Е-пошта", { exact: true }).selectOption("корисник");
  await head.check("#f-internet");
  await head.locator("form.form button.primary").click();
  await head.waitForURL(/\/account-requests\/\d+/);
  const url = head.url().split("?")[0];
  await badge(head, "поднет, чека администратора");
  assert.equal(await head.getByRole("button", { name: "Изврши захтев" }).count(), 0, "the head does not carry it out");

  // The administrator carries it out: the username is suggested by the rule (R.18).
  await admin.goto(base + "/account-requests?status=submitted");
  await admin.getByRole("link", { name: /^ЗКН-\d{4}-0001$/ }).click();
  assert.equal(await admin.inputValue("[name=username]"), "mkostic");
  await admin.fill("[name=setup_note]", "Налог у домену, ОПИС и пошта");
  await admin.getByRole("button", { name: "Изврши захтев" }).click();
  await admin.waitForURL(url + "?ok=saved");
  await badge(admin, "извршен");
  await admin.getByRole("cell", { name: "обрађивач предмета" }).first().waitFor();

  // The rules of work are published; the new employee gets the account and accepts them.
  await admin.goto(base + "/rules/new");
  await admin.locator("form.form button.primary").click();
  await admin.waitForURL(base + "/rules?ok=published");
  const acc = await admin.evaluate(async (personId) => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const r = await fetch("/api/v1/accounts", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ person_id: personId, username: "mkostic", password: "zuta4kuca", roles: ["employee"] }) });
    return r.status;
  }, made.marko.id);
  assert.equal(acc, 201);
  const marko = await signIn("mkostic", "zuta4kuca", /\/rules\?next=/);
  await marko.getByRole("button", { name: "Прихватам правила рада" }).click();
  await marko.waitForURL(base + "/rules?ok=accepted");
  await marko.getByText("Прихваћено електронски").waitFor();

  // The head sees her request carried out.
  await head.goto(base + "/account-requests");
  await head.getByRole("cell", { name: "извршен" }).waitFor();
});
