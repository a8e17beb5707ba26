#!/usr/bin/env python3
"""Backup benchmark for BENCHMARKS.md (issue 8): the time and size of `upravnik backup` and the
time of `backup verify` for a database of 100,000 assets, 1,000,000 work-log entries and 100,000
fault reports; and request latency (p50/p95 of the asset list over the API, one keep-alive
client) with no backup running and while one runs. Loopback only; stops by itself.

usage: backup_bench.py BIN (--data-dir DIR | --database-url URL) [--reuse] [--requests K]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from worklog_bench import create_admin, database_args, pct, run, serve, sign_in  # noqa: E402


def timed(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "UPRAVNIK_LOG": "warn"})
    if out.returncode != 0:
        sys.exit(f"{cmd}: {out.stdout}{out.stderr}")
    return time.perf_counter() - t, out.stdout


def latencies(cl, auth, until):
    ms = []
    while not until(len(ms)):
        t = time.perf_counter()
        st, _ = cl.req("GET", "/api/v1/assets?per_page=50", headers=auth)
        assert st == 200, st
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    db, backend = database_args(a)
    gen = {}
    if not a.reuse:
        create_admin(a.bin, db)
        for what, args in [
            ("assets", ["generate", "assets", "--people", "3000", "--count", str(a.assets), "--history", "0"]),
            ("worklog", ["worklog", "generate", "--count", str(a.entries)]),
            ("reports", ["generate", "reports", "--count", str(a.reports)]),
        ]:
            t = time.time()
            run(a.bin, db, *args)
            gen[what] = round(time.time() - t, 1)

    out = tempfile.mkdtemp(prefix="upravnik-backup-bench-")
    backup_s, said = timed([a.bin, *db, "backup", "--to", out])
    archive = os.path.join(out, [f for f in os.listdir(out) if f.endswith(".zip")][0])
    size = os.path.getsize(archive)
    verify_s, _ = timed([a.bin, *db, "backup", "verify", archive])
    m = re.search(r"(\d+) tables, (\d+) rows, (\d+) work-log entries", said)

    srv, port, _ = serve(a.bin, db)
    try:
        cl, token = sign_in(port)
        auth = {"Authorization": "Bearer " + token}
        latencies(cl, auth, lambda n: n >= 20)  # warm
        idle = latencies(cl, auth, lambda n: n >= a.requests)
        busy_dir = tempfile.mkdtemp(prefix="upravnik-backup-busy-")
        b = subprocess.Popen([a.bin, *db, "backup", "--to", busy_dir], stdout=subprocess.DEVNULL, env={**os.environ, "UPRAVNIK_LOG": "warn"})
        during = latencies(cl, auth, lambda n: b.poll() is not None and n >= 20)
        b.wait()
    finally:
        srv.kill()
    result = {
        "backend": backend,
        "generated_s": gen,
        "rows": m.group(2) if m else None,
        "worklog_entries": m.group(3) if m else None,
        "backup_s": round(backup_s, 1),
        "verify_s": round(verify_s, 1),
        "archive_bytes": size,
        "latency_idle_ms": {"p50": round(pct(idle, 50), 1), "p95": round(pct(idle, 95), 1), "n": len(idle)},
        "latency_during_backup_ms": {"p50": round(pct(during, 50), 1), "p95": round(pct(during, 95), 1), "n": len(during)},
        "load_avg": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))
    os.makedirs(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"), exist_ok=True)
    day = time.strftime("%Y-%m-%d")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"{day}-backup-{backend}.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
