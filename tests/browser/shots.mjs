// Screenshots of the main pages for a person to look at (not a test): node shots.mjs BASE USER PASS OUTDIR
import { chromium } from "playwright-core";
const [base, user, pass, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
await page.goto(base + "/login");
await page.fill("#username", user);
await page.fill("#password", pass);
await page.click("button[type=submit].primary");
await page.waitForURL(base + "/");
for (const [name, path] of [["assets", "/assets"], ["asset", "/assets/13"], ["home", "/"], ["people", "/people"], ["person", "/people/7"], ["units", "/units"], ["worklog", "/worklog"], ["profile", "/profile"]]) {
  await page.goto(base + path);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: false });
}
await browser.close();
