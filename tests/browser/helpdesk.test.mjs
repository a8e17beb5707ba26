// Browser test for the helpdesk (issue 5, R.52): an employee reports a fault; an administrator
// takes it, brings the device to the ICT office, sends it to an authorised service with a
// hand-over record (Prilog 6), records the service sheet with its scan on return and resolves it;
// the employee sees it resolved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("helpdesk");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

/** Waits until the report's state badge reads exactly `name`. */
async function state(page, name) {
  await page.locator(".head .badge", { hasText: new RegExp(`^${name}$`) }).waitFor();
}

async function signIn(username, password) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await page.goto(base + "/login");
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.click("button[type=submit].primary");
  await page.waitForURL(base + "/");
  return page;
}

test("an employee reports a fault; it goes to service with a hand-over record and comes back resolved", async () => {
  const admin = await signIn("admin", PASSWORD);
  // The employee and their account, through the API with the page's CSRF token.
  const made = await admin.evaluate(async () => {
    const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
    const post = async (url, body) => {
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
      return [r.status, await r.json()];
    };
    const [ps, person] = await post("/api/v1/people", { given_name: "Љиљана", family_name: "Ђорђевић" });
    const [as, account] = await post("/api/v1/accounts", { person_id: person.id, username: "ljiljana", password: "plava8reka", roles: ["employee"] });
    return { ps, as, person, account };
  });
  assert.equal(made.ps, 201, JSON.stringify(made));
  assert.equal(made.as, 201, JSON.stringify(made));

  // The employee reports the fault on the short form.
  const emp = await signIn("ljiljana", "plava8reka");
  await emp.goto(base + "/reports/new");
  await emp.fill("form.form [name=title]", "Штампач не увлачи папир");
  await emp.fill("form.form [name=description]", "Папир се гужва на улазу, лампица трепери.");
  await emp.click("form.form button.primary");
  await emp.waitForURL(/\/reports\/\d+/);
  const url = emp.url().split("?")[0];
  await state(emp, "нова");

  // The administrator takes it and brings the device to the ICT office.
  await admin.goto(url);
  await admin.getByRole("button", { name: "Додели мени" }).click();
  await state(admin, "прихваћена");
  await admin.getByRole("button", { name: "Однето у канцеларију ИКТ" }).click();
  await state(admin, "у канцеларији ИКТ");

  // Hand-over record (R.52.4) sends it to the service.
  await admin.getByRole("link", { name: "Записник о примопредаји и слање у сервис" }).click();
  await admin.fill("[name=service_name]", "Сервис Принт д.о.о.");
  await admin.fill("[name=received_by]", "Петар Петровић");
  await admin.locator("form.form button.primary").click();
  await admin.waitForURL(url + "?*");
  await state(admin, "у овлашћеном сервису");

  // Back from the service: the service sheet with its stamped scan (R.52.5), resolved.
  await admin.getByRole("link", { name: "Сервисни лист (повратак из сервиса)" }).click();
  await admin.fill("[name=servicer]", "Петар Петровић");
  await admin.fill("[name=fault_found]", "Истрошен ваљак за увлачење");
  await admin.fill("[name=repair_done]", "Замењен ваљак");
  await admin.fill("[name=warranty_months]", "6");
  await admin.selectOption("[name=to]", "resolved");
  await admin.setInputFiles("input[type=file]", { name: "servisni-list.pdf", mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n") });
  await admin.locator("form.form button.primary").click();
  await admin.waitForURL(url + "?*");
  await state(admin, "решена");

  // The employee sees it resolved.
  await emp.goto(url);
  await state(emp, "решена");
  assert.ok(!(await emp.content()).includes("Додели мени"), "the employee gets no administrator's actions");
});
