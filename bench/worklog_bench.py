#!/usr/bin/env python3
"""Work-log benchmark for BENCHMARKS.md: start-up time, idle RSS, and p50/p95 of the work-log page
and of /api/v1/worklog at N entries, on SQLite or PostgreSQL. Loopback only; stops by itself.

usage: worklog_bench.py BIN (--data-dir DIR | --database-url URL) [--entries N] [--requests K]
"""
import argparse, http.client, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.parse

PASSWORD = "zelena7trava"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def run(bin_, db, *args, stdin=None):
    r = subprocess.run([bin_, *db, *args], input=stdin, capture_output=True, text=True, env={**os.environ, "UPRAVNIK_LOG": "warn"})
    if r.returncode != 0:
        sys.exit(f"{args}: {r.stderr}")
    return r.stdout


class Client:
    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def req(self, method, path, body=None, headers=None):
        h = {"Cookie": self.cookie, **(headers or {})}
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("upr_session=") and "Max-Age=0" not in v:
                self.cookie = v.split(";")[0]
        return r.status, data


def cpu_ms(pid):
    """User + system CPU time of a process, in milliseconds."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]



def database_args(a):
    """The binary's database arguments and the backend's name; migrates PostgreSQL first."""
    db = ["--data-dir", a.data_dir] if a.data_dir else ["--database-url", a.database_url]
    if a.database_url:
        run(a.bin, db, "migrate")
    return db, ("sqlite" if a.data_dir else "postgres")


def create_admin(bin_, db):
    run(bin_, db, "admin", "create", "--username", "admin", "--full-name", "Милан Стојановић", "--password-stdin", stdin=PASSWORD + "\n")


def serve(bin_, db):
    """Starts the server on a free loopback port; returns it, its port and the ms to the first healthy answer."""
    port = free_port()
    t0 = time.perf_counter()
    # The daily archive a fresh database owes at once would run beside the measurements.
    env = {**os.environ, "UPRAVNIK_LOG": "warn", "UPRAVNIK_BACKUP_ENABLED": "false"}
    srv = subprocess.Popen([bin_, *db, "serve", "--listen", f"127.0.0.1:{port}"], env=env)
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2); c.request("GET", "/healthz")
            if c.getresponse().status == 200: break
        except OSError:
            time.sleep(0.002)
    return srv, port, (time.perf_counter() - t0) * 1000


def sign_in(port):
    """Signs in as the administrator and issues an API token: the page client and the token."""
    cl = Client(port)
    st, _ = cl.req("POST", "/login", urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "next": "/"}), {"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 303, st
    st, page = cl.req("GET", "/profile")
    csrf = re.search(rb'name="_csrf" value="([0-9a-f]+)"', page).group(1).decode()
    st, page = cl.req("POST", "/profile/tokens", urllib.parse.urlencode({"_csrf": csrf, "name": "bench"}), {"Content-Type": "application/x-www-form-urlencoded"})
    return cl, re.search(rb"(upr_[0-9a-f]{64})", page).group(1).decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--reuse", action="store_true", help="the database is already filled by an earlier run")
    a = ap.parse_args()
    db, backend = database_args(a)
    gen_s = None
    if not a.reuse:
        create_admin(a.bin, db)
        t = time.time()
        run(a.bin, db, "worklog", "generate", "--count", str(a.entries))
        gen_s = round(time.time() - t, 1)

    srv, port, startup_ms = serve(a.bin, db)
    try:
        rss_kb = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{srv.pid}/status").read()).group(1))

        cl, token = sign_in(port)
        st, first = cl.req("GET", "/api/v1/worklog?limit=1", headers={"Authorization": "Bearer " + token})
        top = json.loads(first)["items"][0]["id"]
        idle_rss_kb = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{srv.pid}/status").read()).group(1))

        scenarios = [
            ("page: newest 50", "/worklog", False),
            ("page: category filter", "/worklog?category=outage", False),
            ("page: deep cursor (middle of the log)", f"/worklog?before={top // 2}", False),
            ("page: text search, common word", "/worklog?q=toner", False),
            ("api: newest 50", "/api/v1/worklog", True),
            ("api: object filter", "/api/v1/worklog?object_kind=person&object_id=7", True),
            ("api: text search, common word", "/api/v1/worklog?q=toner", True),
            ("api: text search, rare (one match, oldest)", "/api/v1/worklog?q=%28%230%29", True),
            ("api: one entry", f"/api/v1/worklog/{top // 3}", True),
        ]
        results = []
        for name, path, api in scenarios:
            h = {"Authorization": "Bearer " + token} if api else {}
            cl.req("GET", path, headers=h)  # warm
            times = []
            n = a.requests if "rare" not in name else max(10, a.requests // 20)
            c0 = cpu_ms(srv.pid)
            for _ in range(n):
                t = time.perf_counter(); st, _ = cl.req("GET", path, headers=h); times.append((time.perf_counter() - t) * 1000)
                assert st == 200, (path, st)
            cpu = (cpu_ms(srv.pid) - c0) / n
            results.append({"scenario": name, "n": n, "p50_ms": round(pct(times, 50), 2), "p95_ms": round(pct(times, 95), 2),
                            "server_cpu_ms_per_req": round(cpu, 2)})
        print(json.dumps({"backend": backend, "entries": a.entries, "generate_s": gen_s, "startup_ms": round(startup_ms, 1),
                          "rss_after_start_kb": rss_kb, "rss_after_login_kb": idle_rss_kb, "results": results}, ensure_ascii=False, indent=1))
    finally:
        srv.terminate(); srv.wait(timeout=10)


if __name__ == "__main__":
    main()
