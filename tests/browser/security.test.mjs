// Browser test of the incidents register (issue 9; ZIB 91/2025 čl. 13, 24; ZZPL čl. 52): the
// administrator records an incident with personal data, sees the 24-hour and 72-hour deadlines,
// records the initial report as sent, and the interim report's deadline appears.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, PASSWORD } from "./harness.mjs";

let env, browser, base;

before(async () => {
  env = await start("security");
  ({ browser, base } = env);
});

after(async () => {
  if (env) await env.stop();
});

/// `dd.mm.yyyy. hh:mm` in Belgrade, as the pages write times.
function belgrade(d) {
  const f = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Belgrade", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year}. ${p.hour}:${p.minute}`;
}

test("an incident with personal data shows its 24 h and 72 h deadlines, and the interim one after the notice", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await ctx.newPage();
  await p.goto(base + "/login");
  await p.fill("#username", "admin");
  await p.fill("#password", PASSWORD);
  await p.click("button[type=submit].primary");
  await p.waitForURL(base + "/");

  // Became aware an hour ago (whole minutes, as the form takes them).
  const aware = new Date(Math.floor((Date.now() - 3600_000) / 60_000) * 60_000);
  await p.goto(base + "/security/incidents/new");
  await p.fill("[name=title]", "Неовлашћен приступ бази пореза");
  await p.fill("[name=description]", "Са спољне адресе преузети подаци обвезника");
  await p.fill("[name=aware]", belgrade(aware));
  await p.check("input[name=criteria][value='5']");
  await p.selectOption("[name=danger]", "high");
  await p.check("#f-personal_data");
  await p.locator("form.form button.primary").click();
  await p.waitForURL(/\/security\/incidents\/\d+\?ok=created/);

  const duties = p.locator("section", { has: p.getByRole("heading", { name: "Рокови" }) });
  const due = (hours) => belgrade(new Date(aware.getTime() + hours * 3600_000));
  await duties.locator("tr", { hasText: "обавештење (24 сата)" }).getByText(due(24)).waitFor();
  await duties.locator("tr", { hasText: "Повереник (72 сата)" }).getByText(due(72)).waitFor();
  assert.equal(await duties.locator("tr", { hasText: "периодични извештај" }).count(), 1);

  // The notice is sent now: recorded with its reference; the interim report is due 24 h later (high).
  await p.selectOption("[name=kind]", "initial");
  await p.fill("[name=recipient]", "Јединствени систем за пријем обавештења");
  await p.fill("[name=reference]", "INC-2026-0042");
  await p.locator("form[action$='/reports'] button.primary").click();
  await p.waitForURL(/\?ok=saved/);
  const sentRow = p.locator("section", { has: p.getByRole("heading", { name: "Послати извештаји" }) }).locator("tr", { hasText: "INC-2026-0042" });
  await sentRow.waitFor();
  const sentAt = (await sentRow.locator("td").nth(1).innerText()).trim();
  const [d, m, y, hm] = sentAt.replace(/\.$/, "").split(/[. ]+/);
  assert.ok(d && m && y && hm, sentAt);
  const interim = duties.locator("tr", { hasText: "периодични извештај" });
  const interimDue = (await interim.locator("td").nth(1).innerText()).trim();
  assert.notEqual(interimDue, due(24), "counted from the notice, not from awareness");
  assert.match(interimDue, /^\d\d\.\d\d\.\d{4}\. \d\d:\d\d$/);
  await ctx.close();
});

test("the yearly compliance check: findings, a corrective action, the report, and the next check's date at home", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const p = await ctx.newPage();
  p.on("dialog", (d) => d.accept());
  await p.goto(base + "/login");
  await p.fill("#username", "admin");
  await p.fill("#password", PASSWORD);
  await p.click("button[type=submit].primary");
  await p.waitForURL(base + "/");
  await p.getByText("Годишња провера усклађености мера заштите још није евидентирана").waitFor();

  const year = new Date().getFullYear() - 1;
  await p.goto(base + "/security/checks");
  await p.fill("[name=year]", String(year));
  await p.fill("[name=checked_by]", "Милан Стојановић");
  await p.fill("[name=started_on]", `01.12.${year}`);
  await p.locator("form[action='/security/checks'] button.primary").click();
  await p.waitForURL(/\/security\/checks\/\d+\?ok=created/);

  // Every measure compliant but one, partial with its finding.
  for (const s of await p.locator("select[name^=result-]").all()) await s.selectOption("compliant");
  await p.selectOption("#result-7", "partial");
  await p.locator("form[action$='/findings'] button.primary").click();
  await p.waitForURL(/\?ok=saved|\/findings$/);
  await p.getByText("Наведите налаз").first().waitFor();
  await p.fill("#finding-7", "Процедура за лозинке није усвојена");
  await p.locator("form[action$='/findings'] button.primary").click();
  await p.waitForURL(/\?ok=saved/);
  await p.getByText("Мере са недостацима без корективне мере: 7").waitFor();

  await p.selectOption("form[action$='/actions'] [name=no]", "7");
  await p.fill("form[action$='/actions'] [name=action]", "Усвојити процедуру за лозинке");
  await p.fill("form[action$='/actions'] [name=owner]", "Бојан Живковић");
  await p.fill("form[action$='/actions'] [name=due_on]", `01.03.${year + 1}`);
  await p.locator("form[action$='/actions'] button.primary").click();
  await p.waitForURL(/\?ok=created/);

  await p.fill("[name=completed_on]", `15.12.${year}`);
  await p.fill("[name=conclusion]", "Мере су усклађене осим мере 7.");
  await p.locator("form[action$='/complete'] button.primary").click();
  await p.waitForURL(/\?ok=saved/);
  assert.equal(await p.locator("form[action$='/findings']").count(), 0, "a completed check no longer changes");
  const pdf = await p.request.get(base + p.url().replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "") + "/pdf");
  assert.equal(pdf.headers()["content-type"], "application/pdf");

  await p.goto(base + "/");
  await p.getByText(`Следећа годишња провера усклађености мера заштите: до 15.12.${year + 1}.`).waitFor();
  await ctx.close();
});
