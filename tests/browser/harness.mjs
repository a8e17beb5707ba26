// Shared set-up of the browser tests: a fresh data directory with one administrator, the real
// binary serving it on a free loopback port (waited for on /healthz, never a sleep), and headless
// Debian Chromium. Needs UPRAVNIK_BIN (path to the built binary); .ci/run sets it.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";

export const BIN = process.env.UPRAVNIK_BIN || new URL("../../target/debug/upravnik", import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const PASSWORD = "zelena7trava";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

async function waitHealthy(url, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try { const r = await fetch(url + "/healthz"); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not become healthy");
}

/** Starts a server with administrator `admin` and a browser; returns { base, browser, stop }. */
export async function start(tag) {
  assert.ok(existsSync(BIN), `binary not found at ${BIN}: build it first (cargo build)`);
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  const data = mkdtempSync(join(tmpdir(), `upravnik-${tag}-`));
  const made = spawnSync(BIN, ["--data-dir", data, "admin", "create", "--username", "admin", "--full-name", "Милан Стојановић", "--password-stdin"],
    { input: PASSWORD + "\n", encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The daily archive a fresh installation owes at once is tested by the Rust suite; here it
  // would only add work-log entries while a test reads them.
  const server = spawn(BIN, ["--data-dir", data, "serve", "--listen", `127.0.0.1:${port}`], {
    stdio: "inherit",
    env: { ...process.env, UPRAVNIK_BACKUP_ENABLED: "false" },
  });
  await waitHealthy(base);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return { base, browser, stop: async () => { await browser.close(); server.kill(); } };
}
