#!/usr/bin/env python3
"""Equipment-registry benchmark for BENCHMARKS.md (issue 3): p50/p95/p99 of the asset list (page and
API; with and without filters, text search, deep pages) and of an asset's page and card, at N assets
and H history rows made by `upravnik generate assets`; and the import of a 10,000-row XLSX when the
binary has `assets import`. Loopback only; stops by itself.

usage: assets_bench.py BIN (--data-dir DIR | --database-url URL) [--assets N] [--history H] [--requests K]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from worklog_bench import cpu_ms, create_admin, database_args, pct, run, serve, sign_in  # noqa: E402


def xlsx_rows(path, n, start):
    """A 10,000-row register as offices keep it: Cyrillic headers, dates as 01.02.2019."""
    try:
        import openpyxl
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "openpyxl"], check=True)
        import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Врста", "Инвентарски број", "Произвођач", "Модел", "Серијски број", "Просторија", "Датум набавке", "Цена"])
    for k in range(n):
        ws.append(["рачунар", f"IMP{start + k:07d}", "Dell", "OptiPlex 7090", f"IMPSN{k:07d}", f"канц. {1 + k % 200}",
                   f"{1 + k % 28:02d}.{1 + k % 12:02d}.{2015 + k % 10}.", "79.990,00"])
    wb.save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--history", type=int, default=2_000_000)
    ap.add_argument("--people", type=int, default=3_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--reuse", action="store_true", help="the database is already filled by an earlier run")
    ap.add_argument("--import-anyway", action="store_true", help="time the 10,000-row import even with --reuse")
    a = ap.parse_args()
    db, backend = database_args(a)
    gen_s = None
    if not a.reuse:
        create_admin(a.bin, db)
        t = time.time()
        run(a.bin, db, "generate", "assets", "--people", str(a.people), "--count", str(a.assets), "--history", str(a.history))
        gen_s = round(time.time() - t, 1)

    import_s = None
    help_text = subprocess.run([a.bin, "--help"], capture_output=True, text=True).stdout
    if (not a.reuse or a.import_anyway) and re.search(r"^\s+assets\b", help_text, re.M):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "registar.xlsx")
            xlsx_rows(path, 10_000, int(time.time()) % 1_000_000 * 10)
            t = time.time()
            run(a.bin, db, "assets", "import", path, "--commit")
            import_s = round(time.time() - t, 2)

    srv, port, _ = serve(a.bin, db)
    try:
        cl, token = sign_in(port)
        auth = {"Authorization": "Bearer " + token}
        st, body = cl.req("GET", "/api/v1/assets?per_page=1&sort=inventory_number&desc=true", headers=auth)
        total = json.loads(body)["total"]
        st, body = cl.req("GET", "/api/v1/assets?per_page=1&q=1000497", headers=auth)
        one = json.loads(body)["items"][0]["id"]
        st, body = cl.req("GET", "/api/v1/units?per_page=1", headers=auth)
        unit = (json.loads(body)["items"] or [{"id": 1}])[0]["id"]
        st, body = cl.req("GET", "/api/v1/people?per_page=1", headers=auth)
        person = (json.loads(body)["items"] or [{"id": 1}])[0]["id"]
        history = len(json.loads(cl.req("GET", f"/api/v1/assets/{one}/history", headers=auth)[1]))
        pages = max(1, total // 50)

        scenarios = [
            ("page: list, first 50", "/assets", False),
            ("page: kind + status filter", "/assets?kind=printer&status=in_use", False),
            ("page: unit filter", f"/assets?unit={unit}", False),
            ("page: employee filter", f"/assets?person={person}", False),
            ("page: text search, common (Optiplex)", "/assets?q=optiplex", False),
            ("page: text search, one serial", "/assets?q=DE00003513", False),
            ("page: sorted by room, descending", "/assets?sort=room&desc=1", False),
            ("page: deep page (middle)", f"/assets?page={pages // 2}", False),
            ("page: warranty ending in 30 days", "/assets?warranty=30", False),
            ("page: one asset with history", f"/assets/{one}", False),
            ("api: list, first 50", "/api/v1/assets", True),
            ("api: kind + status filter", "/api/v1/assets?kind=workstation&status=in_repair", True),
            ("api: unit filter", f"/api/v1/assets?unit_id={unit}", True),
            ("api: text search, Cyrillic room", "/api/v1/assets?q=%D0%BA%D0%B0%D0%BD%D1%86.%2017", True),
            ("api: one asset", f"/api/v1/assets/{one}", True),
            ("api: one asset's history", f"/api/v1/assets/{one}/history", True),
        ]
        results = []
        # Other work on the box inflates every figure: the load average goes with them.
        load_before = [round(x, 2) for x in os.getloadavg()]
        for name, path, api in scenarios:
            h = auth if api else {}
            st, _ = cl.req("GET", path, headers=h)  # warm
            assert st == 200, (path, st)
            times = []
            c0 = cpu_ms(srv.pid)
            for _ in range(a.requests):
                t = time.perf_counter(); st, _ = cl.req("GET", path, headers=h); times.append((time.perf_counter() - t) * 1000)
                assert st == 200, (path, st)
            cpu = (cpu_ms(srv.pid) - c0) / a.requests
            results.append({"scenario": name, "n": a.requests, "p50_ms": round(pct(times, 50), 2), "p95_ms": round(pct(times, 95), 2),
                            "p99_ms": round(pct(times, 99), 2), "server_cpu_ms_per_req": round(cpu, 2)})
        print(json.dumps({"backend": backend, "assets": total, "history_rows": a.history, "history_of_measured_asset": history,
                          "generate_s": gen_s, "import_10k_xlsx_s": import_s, "load_avg_before": load_before,
                          "load_avg_after": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(), "results": results},
                         ensure_ascii=False, indent=1))
    finally:
        srv.terminate(); srv.wait(timeout=10)


if __name__ == "__main__":
    main()
