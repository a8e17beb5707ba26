#!/usr/bin/env python3
"""Helpdesk benchmark for BENCHMARKS.md (issue 5): fault reports created per second through
`POST /api/v1/reports` at concurrency 1, 4 and 16 (req/s, p50/p99, server CPU per report), and
p50/p95/p99 of the report list and search over the API and the HTML list page with N reports made
by `upravnik generate reports`, on SQLite or PostgreSQL. The list is measured first, so it sees
exactly N reports; the creates come after. Loopback only; stops by itself. Request Tracker, the
peer, is measured by its own load.py (../shared/bench/peers/rt) in the same window.

The creates are made by `wrk` (Debian) by default, `--client python` for the threads of earlier runs.

usage: reports_bench.py BIN (--data-dir DIR | --database-url URL) [--reports N] [--requests K]
                        [--concurrency 1,4,16] [--seconds S] [--creates C] [--client wrk|python]
                        [--reuse] [--skip-reads] [--json OUT]
"""
import argparse, http.client, json, os, subprocess, sys, threading, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_bench import WRK_DONE  # noqa: E402
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


# wrk's script for the creates: the same bodies as the Python clients make (WRK_DONE reports).
CREATE_LUA = r"""
local people = {}
for p in string.gmatch(os.getenv("PEOPLE"), "[^,]+") do people[#people + 1] = tonumber(p) end
local titles = {"Штампач не штампа", "Рачунар се не укључује", "Нема интернета", "Закључан кориснички налог", "Не стиже е-пошта"}
local prios = {"low", "normal", "high", "urgent"}
local n = 0
local t = 0
setup = function(thread) t = t + 1; thread:set("tid", t) end
request = function()
  n = n + 1
  local body = string.format('{"reporter_id": %d, "channel": "phone", "title": "%s", "description": "Мерење: пријава %d нити %d, канцеларија %d.", "category": "hardware", "priority": "%s"}',
    people[(n * 7919 + (tid or 0)) % #people + 1], titles[n % #titles + 1], n, tid or 0, n % 120, prios[n % 4 + 1])
  return wrk.format("POST", "/api/v1/reports", {["Authorization"] = os.getenv("AUTH"), ["Content-Type"] = "application/json"}, body)
end
"""


def create_phase_wrk(port, token, conc, seconds, people, pid, total_of):
    """The create phase loaded by wrk (a separate process in C, whose own CPU is small beside a
    Python client's): `conc` keep-alive connections for `seconds`. The reports made are counted
    through the API before and after, so every acknowledged create is known to have landed."""
    import tempfile
    script = os.path.join(tempfile.gettempdir(), "upravnik-create.lua")
    with open(script, "w") as f:
        f.write(CREATE_LUA + WRK_DONE)
    env = {**os.environ, "AUTH": "Bearer " + token, "PEOPLE": ",".join(map(str, people))}
    before = total_of()
    c0 = cpu_ms(pid)
    out = subprocess.run(["wrk", "-t", str(min(2, conc)), "-c", str(conc), "-d", f"{int(seconds)}s", "--timeout", "10s", "-s", script,
                          f"http://127.0.0.1:{port}/"], env=env, capture_output=True, text=True, check=True).stdout
    cpu = cpu_ms(pid) - c0
    w = json.loads(out.strip().splitlines()[-1])
    # A create whose client hung up at wrk's deadline is still written (with its batch): let
    # those land before counting, so they count in this phase and not the next.
    time.sleep(0.5)
    made = total_of() - before
    ok = w["requests"] - w["status_errors"] - w["socket_errors"]
    return {"op": "create", "client": "wrk", "concurrency": conc, "ok": ok, "errors": w["status_errors"] + w["socket_errors"],
            "landed": made, "elapsed_s": round(w["seconds"], 2), "rps": round(ok / w["seconds"], 1), "p50_ms": round(w["p50"], 2),
            "p95_ms": round(w["p95"], 2), "p99_ms": round(w["p99"], 2), "max_ms": round(w["max"], 2),
            "server_cpu_ms_per_req": round(cpu / max(1, ok), 2), "loadavg": [round(x, 2) for x in os.getloadavg()]}


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
    ap.add_argument("--skip-reads", action="store_true")
    ap.add_argument("--client", choices=["wrk", "python"], default="wrk", help="who makes the creates (wrk: Debian's, a separate process)")
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
        for name, path in ([] if a.skip_reads else scenarios):
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
            def total_of():
                return json.loads(cl.req("GET", "/api/v1/reports?per_page=1", headers=auth)[1])["total"]
            for conc in [int(x) for x in a.concurrency.split(",")]:
                if a.client == "wrk":
                    creates.append(create_phase_wrk(port, token, conc, a.seconds, people, srv.pid, total_of))
                    # wrk stops counting at its deadline; the requests then in flight still land.
                    c = creates[-1]
                    assert c["ok"] <= c["landed"] <= c["ok"] + conc and c["errors"] == 0, c
                else:
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
