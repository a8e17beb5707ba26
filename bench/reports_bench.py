#!/usr/bin/env python3
"""Helpdesk benchmark for BENCHMARKS.md (issue 5): fault reports created per second through
`POST /api/v1/reports` at concurrency 1, 4 and 16 (req/s, p50/p99, server CPU per report), and
p50/p95/p99 of the report list and search over the API and the HTML list page with N reports made
by `upravnik generate reports`, on SQLite or PostgreSQL. The list is measured first, so it sees
exactly N reports; the creates come after. Loopback only; stops by itself. Request Tracker, the
peer, is measured by its own load.py (../shared/bench/peers/rt) in the same window.

usage: reports_bench.py BIN (--data-dir DIR | --database-url URL) [--reports N] [--requests K]
                        [--concurrency 1,4,16] [--seconds S] [--creates C] [--reuse] [--json OUT]
"""
import argparse, http.client, json, os, subprocess, sys, threading, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from worklog_bench import cpu_ms, create_admin, database_args, pct, run, serve, sign_in  # noqa: E402

TITLES = ["Штампач не штампа", "Рачунар се не укључује", "Нема интернета", "Закључан кориснички налог", "Не стиже е-пошта"]


def q(s):
    return urllib.parse.quote(s)


def create_phase(port, token, conc, seconds, limit, people, pid):
    """`conc` clients, each on its own keep-alive connection, create reports for `seconds` or until
    `limit` are made; returns the phase's figures."""
    lock = threading.Lock()
    times, errors, made = [], [], [0]
    stop = time.perf_counter() + seconds
    h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def worker(w):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        k = 0
        while time.perf_counter() < stop:
            with lock:
                if made[0] >= limit:
                    return
                made[0] += 1
                n = made[0]
            body = json.dumps({
                "reporter_id": people[(w * 7919 + k) % len(people)], "channel": "phone", "title": TITLES[n % len(TITLES)],
                "description": f"Мерење: пријава {n} клијента {w}, канцеларија {n % 120}.", "category": "hardware",
                "priority": ["low", "normal", "high", "urgent"][n % 4]}, ensure_ascii=False).encode()
            t = time.perf_counter()
            try:
                c.request("POST", "/api/v1/reports", body=body, headers=h)
                r = c.getresponse(); data = r.read()
                ok = r.status == 201
            except OSError as e:
                ok, data = False, str(e).encode()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            dt = (time.perf_counter() - t) * 1000
            with lock:
                (times if ok else errors).append(dt if ok else data[:200])
            k += 1

    c0, t0 = cpu_ms(pid), time.perf_counter()
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(conc)]
    for t in ts: t.start()
    for t in ts: t.join()
    elapsed = time.perf_counter() - t0
    cpu = cpu_ms(pid) - c0
    return {"op": "create", "concurrency": conc, "ok": len(times), "errors": len(errors), "first_error": (errors[0].decode("utf-8", "replace") if errors else None),
            "elapsed_s": round(elapsed, 2), "rps": round(len(times) / elapsed, 1), "p50_ms": round(pct(times, 50), 2),
            "p95_ms": round(pct(times, 95), 2), "p99_ms": round(pct(times, 99), 2), "max_ms": round(max(times), 2),
            "server_cpu_ms_per_req": round(cpu / max(1, len(times)), 2), "loadavg": [round(x, 2) for x in os.getloadavg()]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", default="1,4,16")
    ap.add_argument("--seconds", type=float, default=20, help="per create phase")
    ap.add_argument("--creates", type=int, default=3000, help="at most this many reports per create phase")
    ap.add_argument("--reuse", action="store_true", help="the database is already filled by an earlier run")
    ap.add_argument("--skip-creates", action="store_true")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    db, backend = database_args(a)
    gen_s = None
    if not a.reuse:
        create_admin(a.bin, db)
        t = time.time()
        print(run(a.bin, db, "generate", "reports", "--count", str(a.reports)).strip(), file=sys.stderr)
        gen_s = round(time.time() - t, 1)

    srv, port, startup_ms = serve(a.bin, db)
    try:
        cl, token = sign_in(port)
        auth = {"Authorization": "Bearer " + token}
        total = json.loads(cl.req("GET", "/api/v1/reports?per_page=1", headers=auth)[1])["total"]
        oldest = json.loads(cl.req("GET", "/api/v1/reports?per_page=1&desc=true", headers=auth)[1])["items"][0]
        middle = json.loads(cl.req("GET", f"/api/v1/reports?per_page=1&page={total // 2}", headers=auth)[1])["items"][0]
        number = middle["number"]
        latin_number = number.replace("П", "P")
        people = sorted({r["reporter_id"] for r in json.loads(cl.req("GET", "/api/v1/reports?per_page=500", headers=auth)[1])["items"]})
        pages = max(1, total // 50)
        scenarios = [
            ("api: list, first 50 (newest)", "/api/v1/reports"),
            ("api: state=new", "/api/v1/reports?state=new"),
            ("api: open, sorted by deadline", "/api/v1/reports?state=open&sort=due"),
            ("api: all, sorted by deadline", "/api/v1/reports?sort=due"),
            ("api: late (any target)", "/api/v1/reports?late=any"),
            ("api: priority urgent", "/api/v1/reports?priority=urgent"),
            ("api: priority urgent, sorted by state", "/api/v1/reports?priority=urgent&sort=state"),
            ("api: unassigned", "/api/v1/reports?assignee=none"),
            ("api: deep page (middle)", f"/api/v1/reports?page={pages // 2}"),
            ("api: search, common word, Cyrillic (штампач)", "/api/v1/reports?q=" + q("штампач")),
            ("api: search, common word, Latin (stampac)", "/api/v1/reports?q=stampac"),
            ("api: search, rarer phrase (пројектор)", "/api/v1/reports?q=" + q("пројектор")),
            ("api: search, report number, Cyrillic", "/api/v1/reports?q=" + q(number)),
            ("api: search, report number, Latin", "/api/v1/reports?q=" + q(latin_number)),
            ("api: search + state=new", "/api/v1/reports?state=new&q=" + q("мрежа")),
            ("api: search, no match", "/api/v1/reports?q=zzqxw"),
            ("api: one report with its timeline", f"/api/v1/reports/{oldest['id']}"),
            ("page: list, first 50", "/reports"),
            ("page: state=new", "/reports?status=new"),
            ("page: sorted by deadline", "/reports?sort=due"),
            ("page: late (any target)", "/reports?late=any"),
            ("page: search, Cyrillic word", "/reports?q=" + q("штампач")),
            ("page: search, Latin word", "/reports?q=stampac"),
            ("page: search, report number", "/reports?q=" + q(number)),
            ("page: one report", f"/reports/{oldest['id']}"),
        ]
        results = []
        load_before = [round(x, 2) for x in os.getloadavg()]
        for name, path in scenarios:
            h = auth if path.startswith("/api/") else {}
            st, body = cl.req("GET", path, headers=h)  # warm
            assert st == 200, (path, st, body[:300])
            found = json.loads(body).get("total") if path.startswith("/api/v1/reports?") else None
            times = []
            c0 = cpu_ms(srv.pid)
            for _ in range(a.requests):
                t = time.perf_counter(); st, _ = cl.req("GET", path, headers=h); times.append((time.perf_counter() - t) * 1000)
                assert st == 200, (path, st)
            cpu = (cpu_ms(srv.pid) - c0) / a.requests
            results.append({"scenario": name, "path": path, "matches": found, "n": a.requests, "p50_ms": round(pct(times, 50), 2),
                            "p95_ms": round(pct(times, 95), 2), "p99_ms": round(pct(times, 99), 2), "server_cpu_ms_per_req": round(cpu, 2)})
            print(f"{name:50} {results[-1]['p50_ms']:8.2f} {results[-1]['p95_ms']:8.2f}  matches={found}", file=sys.stderr)
        load_after_reads = [round(x, 2) for x in os.getloadavg()]

        creates = []
        if not a.skip_creates:
            for conc in [int(x) for x in a.concurrency.split(",")]:
                creates.append(create_phase(port, token, conc, a.seconds, a.creates, people, srv.pid))
                print(json.dumps(creates[-1], ensure_ascii=False), file=sys.stderr)
        rss_kb = int(open(f"/proc/{srv.pid}/status").read().split("VmRSS:")[1].split()[0])
        out = {"backend": backend, "reports": total, "generate_s": gen_s, "startup_ms": round(startup_ms, 1), "rss_after_kb": rss_kb,
               "load_avg_before": load_before, "load_avg_after_reads": load_after_reads,
               "load_avg_after": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(),
               "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "results": results, "creates": creates}
        text = json.dumps(out, ensure_ascii=False, indent=1)
        print(text)
        if a.json:
            open(a.json, "w").write(text + "\n")
    finally:
        srv.terminate(); srv.wait(timeout=10)


if __name__ == "__main__":
    main()
