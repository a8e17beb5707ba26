#!/usr/bin/env python3
"""Latency under load and a bounded soak (issue 11), for BENCHMARKS.md.

On an office made by `upravnik generate --scale city` (1,500 employees, 2,000 assets, a year of
fault reports and of the work log), on SQLite or PostgreSQL:

1. every scenario below is loaded by `wrk` (Debian), a separate process, for --seconds at
   --connections keep-alive connections; p50/p95/p99 come from wrk's own latency histogram (a Lua
   `done` hook), with requests/s, errors (non-2xx/3xx and socket errors) and the server's CPU
   time per request;
2. the soak: a mix of reads and writes (one request in ten creates a fault report) for
   --soak-minutes at concurrency 16; the server's resident memory and open files are sampled
   every 10 s, and their growth after the first minute (the warm-up) is reported.

Loopback only; everything it starts it stops.

usage: load_bench.py BIN (--data-dir DIR | --database-url URL) [--seconds S] [--connections C]
                     [--soak-minutes M] [--reuse] [--json OUT]
"""
import argparse, json, os, subprocess, sys, tempfile, threading, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from worklog_bench import cpu_ms, create_admin, database_args, run, serve, sign_in  # noqa: E402

# What administrators do all day (API with a token, pages with a session).
SCENARIOS = [
    ("api", "asset list, 50 a page", "/api/v1/assets?per_page=50"),
    ("api", "asset search", "/api/v1/assets?q=" + urllib.parse.quote("dell optiplex")),
    ("api", "one asset", "/api/v1/assets/{asset}"),
    ("api", "open reports by deadline", "/api/v1/reports?state=open&sort=due&per_page=50"),
    ("api", "report search", "/api/v1/reports?q=" + urllib.parse.quote("штампач")),
    ("api", "work log, newest 100", "/api/v1/worklog?limit=100"),
    ("api", "people search", "/api/v1/people?q=" + urllib.parse.quote("petrovic")),
    ("page", "home page", "/"),
    ("page", "asset list page", "/assets"),
    ("page", "reports page", "/reports"),
    ("page", "work-log page", "/worklog"),
]

# The wrk script: headers from the environment, a mix when MIX is set, and the latency
# percentiles written as one JSON line at the end (wrk's --latency prints no p95).
LUA = r"""
local auth = os.getenv("AUTH")
local paths = {}
for p in string.gmatch(os.getenv("PATHS"), "[^|]+") do paths[#paths + 1] = p end
local mix = os.getenv("MIX") == "1"
local people = tonumber(os.getenv("PERSON") or "1")
local n = 0
request = function()
  n = n + 1
  local h = {}
  if auth:sub(1, 7) == "Bearer " then h["Authorization"] = auth else h["Cookie"] = auth end
  if mix and n % 10 == 0 then
    h["Content-Type"] = "application/json"
    local body = string.format('{"reporter_id": %d, "channel": "phone", "title": "Мерење %d", "description": "Тест оптерећења", "category": "hardware", "priority": "normal"}', people, n)
    return wrk.format("POST", "/api/v1/reports", h, body)
  end
  return wrk.format("GET", paths[(n % #paths) + 1], h)
end
"""

# wrk's `done` hook: the latency percentiles as one JSON line (reports_bench.py uses it too).
WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""
LUA += WRK_DONE


def wrk(port, auth, paths, seconds, connections, mix=False, person=1):
    script = os.path.join(tempfile.gettempdir(), "upravnik-load.lua")
    with open(script, "w") as f:
        f.write(LUA)
    env = {**os.environ, "AUTH": auth, "PATHS": "|".join(paths), "MIX": "1" if mix else "0", "PERSON": str(person)}
    threads = str(min(2, connections))
    out = subprocess.run(
        ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", script, f"http://127.0.0.1:{port}/"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def rss_kb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_kb(pid):
    """Where the resident memory is: the main heap, glibc's other malloc arenas (anonymous
    mappings reserved 64 MiB at a time, one per group of threads), the binary's own file, and
    the rest."""
    out = {"heap_kb": 0, "arenas_kb": 0, "arenas": 0, "binary_kb": 0, "other_kb": 0}
    exe = os.path.realpath(f"/proc/{pid}/exe")
    name, size = "", 0
    for line in open(f"/proc/{pid}/smaps"):
        f = line.split()
        if len(f) >= 5 and "-" in f[0] and ":" not in f[0]:
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            name, size = (f[5] if len(f) > 5 else ""), (hi - lo) // 1024
            continue
        if f and f[0] == "Rss:":
            rss = int(f[1])
            if name == "[heap]":
                out["heap_kb"] += rss
            elif name == exe:
                out["binary_kb"] += rss
            elif name == "" and lo % (64 << 20) == 0 and size <= 65536:
                out["arenas_kb"] += rss
                out["arenas"] += 1
            else:
                out["other_kb"] += rss
    return out


def open_files(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--soak-minutes", type=float, default=10)
    ap.add_argument("--reuse", action="store_true", help="the database already holds the generated office")
    ap.add_argument("--json")
    a = ap.parse_args()
    db, backend = database_args(a)

    gen_s = None
    if not a.reuse:
        t = time.perf_counter()
        print(run(a.bin, db, "generate", "--scale", "city").strip(), file=sys.stderr)
        gen_s = round(time.perf_counter() - t, 1)
        create_admin(a.bin, db)
    srv, port, startup_ms = serve(a.bin, db)
    out = {"backend": backend, "scale": "city", "generate_s": gen_s, "startup_ms": round(startup_ms, 1),
           "connections": a.connections, "seconds": a.seconds, "load_avg_before": os.getloadavg()[0], "scenarios": []}
    try:
        cl, token = sign_in(port)
        st, body = cl.req("GET", "/api/v1/assets?per_page=1", headers={"Authorization": "Bearer " + token})
        asset = json.loads(body)["items"][0]["id"]
        st, body = cl.req("GET", "/api/v1/people?per_page=1", headers={"Authorization": "Bearer " + token})
        person = json.loads(body)["items"][0]["id"]
        for kind, name, path in SCENARIOS:
            path = path.replace("{asset}", str(asset))
            auth = "Bearer " + token if kind == "api" else cl.cookie
            # A short warm-up, then the measured run.
            wrk(port, auth, [path], 2, a.connections)
            c0 = cpu_ms(srv.pid)
            r = wrk(port, auth, [path], a.seconds, a.connections)
            r.update(kind=kind, name=name, path=path, rps=round(r["requests"] / r["seconds"], 1),
                     cpu_ms_per_request=round((cpu_ms(srv.pid) - c0) / max(r["requests"], 1), 3))
            out["scenarios"].append(r)
            print(f"{backend:8} {name:28} {r['rps']:8.0f} req/s  p50 {r['p50']:7.2f}  p95 {r['p95']:7.2f}  p99 {r['p99']:7.2f} ms"
                  f"  errors {r['status_errors'] + r['socket_errors']}", file=sys.stderr, flush=True)

        if a.soak_minutes > 0:
            mix = [p.replace("{asset}", str(asset)) for kind, _, p in SCENARIOS if kind == "api"]
            samples = []
            total = a.soak_minutes * 60
            t0 = time.perf_counter()
            # wrk runs the whole soak in one process; the sampler reads /proc beside it.
            result = {}

            def load():
                result.update(wrk(port, "Bearer " + token, mix, int(total), 16, mix=True, person=person))

            th = threading.Thread(target=load)
            th.start()
            while th.is_alive():
                sample = {"t": round(time.perf_counter() - t0, 1), "rss_kb": rss_kb(srv.pid), "fds": open_files(srv.pid)}
                if len(samples) % 6 == 0:
                    sample.update(memory_kb(srv.pid))
                samples.append(sample)
                th.join(timeout=10)
            warm = [s for s in samples if s["t"] >= 60] or samples
            soak = {**result, "minutes": a.soak_minutes, "samples": samples,
                    "rss_kb_after_warmup": warm[0]["rss_kb"], "rss_kb_end": samples[-1]["rss_kb"],
                    "rss_kb_max_after_warmup": max(s["rss_kb"] for s in warm),
                    "fds_after_warmup": warm[0]["fds"], "fds_end": samples[-1]["fds"], "fds_max": max(s["fds"] for s in samples)}
            soak["rps"] = round(soak["requests"] / soak["seconds"], 1)
            out["soak"] = soak
            print(f"{backend:8} soak {a.soak_minutes} min: {soak['rps']:.0f} req/s, p99 {soak['p99']:.1f} ms, "
                  f"errors {soak['status_errors'] + soak['socket_errors']}, RSS {soak['rss_kb_after_warmup']} → {soak['rss_kb_end']} KB "
                  f"(max {soak['rss_kb_max_after_warmup']}), open files {soak['fds_after_warmup']} → {soak['fds_end']}",
                  file=sys.stderr, flush=True)
    finally:
        srv.terminate()
        srv.wait()
    out["load_avg_after"] = os.getloadavg()[0]
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
