#!/usr/bin/env python3
"""Agent-inventory benchmark for BENCHMARKS.md (issue 4): inventories per second and p50/p99 latency at
concurrency 1, 4 and 16, for distinct (new) machines and for re-inventories of known machines that change
nothing, on SQLite or PostgreSQL; server CPU per inventory; then a check in the database that every
acknowledged inventory landed whole (one asset per machine, as many programs as the XML had).

The bodies are the ones OCS's peer set-up makes (../shared/bench/peers/ocs/gen_inventories.py: real
`ocsinventory-agent --local` output of this machine, made into N distinct machines, zlib as the agent
sends it), replayed exactly as the OCS agent does: one connection, PROLOG then INVENTORY, same headers.
Loopback only; stops by itself.

usage: inventory_bench.py BIN (--data-dir DIR | --database-url URL) --inventories DIR
                          [--concurrency 1,4,16] [--count N] [--json OUT]
"""
import argparse, glob, http.client, json, os, re, sqlite3, subprocess, sys, threading, time, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from worklog_bench import cpu_ms, create_admin, database_args, pct, serve  # noqa: E402

UA = "OCS-NG_unified_unix_agent_v2.10.0"
HEADERS = {"Content-Type": "application/x-compress", "Pragma": "no-cache", "User-Agent": UA}
DEVID = re.compile(rb"<DEVICEID>([^<]+)</DEVICEID>")


def prolog(deviceid):
    return zlib.compress(('<?xml version="1.0" encoding="UTF-8"?>\n<REQUEST>\n'
                          f'  <DEVICEID>{deviceid}</DEVICEID>\n  <QUERY>PROLOG</QUERY>\n</REQUEST>\n').encode())


def machines(d):
    out = []
    for f in sorted(glob.glob(os.path.join(d, "*.xml.z"))):
        body = open(f, "rb").read()
        xml = zlib.decompress(body)
        dev = DEVID.search(xml).group(1).decode()
        name = re.search(rb"<NAME>([^<]+)</NAME>", xml.split(b"<HARDWARE>", 1)[1]).group(1).decode()
        out.append({"deviceid": dev, "name": name, "prolog": prolog(dev), "body": body, "software": xml.count(b"<SOFTWARES>")})
    return out


def session(port, m):
    """PROLOG then INVENTORY on one keep-alive connection; returns (session ms, inventory ms)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    c.request("POST", "/ocsinventory", body=m["prolog"], headers=HEADERS)
    r = c.getresponse(); data = r.read()
    if r.status != 200 or b"SEND" not in zlib.decompress(data):
        raise RuntimeError(f"PROLOG {r.status}")
    t1 = time.perf_counter()
    c.request("POST", "/ocsinventory", body=m["body"], headers=HEADERS)
    r = c.getresponse(); data = r.read()
    if r.status != 200 or b"NO_ACCOUNT_UPDATE" not in zlib.decompress(data):
        raise RuntimeError(f"INVENTORY {r.status} {data[:200]!r}")
    t2 = time.perf_counter()
    c.close()
    return (t2 - t0) * 1000, (t2 - t1) * 1000


def phase(port, pid, ms, conc, label):
    lock = threading.Lock(); todo = list(ms); sess, inv, errors = [], [], []

    def worker():
        while True:
            with lock:
                if not todo: return
                m = todo.pop(0)
            try:
                s, i = session(port, m)
                with lock: sess.append(s); inv.append(i)
            except Exception as e:  # noqa: BLE001 - counted and reported
                with lock: errors.append(str(e))
    cpu0 = cpu_ms(pid); t0 = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(conc)]
    for t in ts: t.start()
    for t in ts: t.join()
    wall = time.perf_counter() - t0; cpu = cpu_ms(pid) - cpu0
    r = {"label": label, "concurrency": conc, "machines": len(ms), "ok": len(sess), "errors": len(errors), "first_errors": errors[:3],
         "wall_s": round(wall, 2), "inventories_per_s": round(len(sess) / wall, 1),
         "session_ms": {"p50": round(pct(sess, 50), 1), "p99": round(pct(sess, 99), 1)} if sess else None,
         "inventory_post_ms": {"p50": round(pct(inv, 50), 1), "p99": round(pct(inv, 99), 1)} if inv else None,
         "server_cpu_ms_per_inventory": round(cpu / max(1, len(sess)), 2)}
    print(json.dumps(r), flush=True)
    return r


def prolog_cpu(port, pid, ms):
    """Server CPU of a PROLOG alone, so a session's figure can be split into PROLOG and INVENTORY."""
    cpu0 = cpu_ms(pid)
    for m in ms:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("POST", "/ocsinventory", body=m["prolog"], headers=HEADERS)
        c.getresponse().read(); c.close()
    return round((cpu_ms(pid) - cpu0) / len(ms), 2)


def verify(a, ms):
    """Every machine once, with every program its XML listed, installed (not removed)."""
    q = ("SELECT a.hostname, COUNT(s.id) FROM assets a LEFT JOIN asset_software s ON s.asset_id = a.id AND s.removed_at IS NULL "
         "GROUP BY a.id, a.hostname")
    if a.data_dir:
        rows = sqlite3.connect(os.path.join(a.data_dir, "upravnik.db")).execute(q).fetchall()
    else:
        out = subprocess.run(["psql", a.database_url, "-At", "-F", "\t", "-c", q], capture_output=True, text=True, check=True).stdout
        rows = [(l.split("\t")[0], int(l.split("\t")[1])) for l in out.splitlines() if l]
    by_name = {}
    for host, n in rows:
        by_name.setdefault(host.lower(), []).append(n)
    missing = sum(1 for m in ms if m["name"].lower() not in by_name)
    duplicated = sum(1 for m in ms if len(by_name.get(m["name"].lower(), [])) > 1)
    # The card de-duplicates programs listed twice with the same name and version.
    partial = sum(1 for m in ms if m["name"].lower() in by_name and by_name[m["name"].lower()][0] == 0)
    return {"machines": len(ms), "missing": missing, "duplicated": duplicated, "without_software": partial}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--data-dir")
    ap.add_argument("--database-url")
    ap.add_argument("--inventories", required=True, help="output of gen_inventories.py (NNNNN.xml.z)")
    ap.add_argument("--concurrency", default="1,4,16")
    ap.add_argument("--count", type=int, default=100, help="machines per run")
    ap.add_argument("--json")
    a = ap.parse_args()
    load_before = os.getloadavg()[0]
    db, backend = database_args(a)
    create_admin(a.bin, db)
    ms = machines(a.inventories)
    concs = [int(c) for c in a.concurrency.split(",")]
    need = a.count * len(concs)
    if len(ms) < need:
        sys.exit(f"{len(ms)} inventories, {need} needed")
    srv, port, _ = serve(a.bin, db)
    results = []
    try:
        prolog_ms = prolog_cpu(port, srv.pid, ms[:100])
        print(json.dumps({"prolog_server_cpu_ms": prolog_ms}), flush=True)
        used = []
        for i, c in enumerate(concs):
            batch = ms[i * a.count:(i + 1) * a.count]
            results.append(phase(port, srv.pid, batch, c, "new"))
            used += batch
        for c in concs:
            results.append(phase(port, srv.pid, used[:a.count], c, "unchanged"))
        check = verify(a, used)
        print(json.dumps({"verify": check}), flush=True)
    finally:
        srv.terminate(); srv.wait()
    for r in results:
        r["inventory_server_cpu_ms"] = round(r["server_cpu_ms_per_inventory"] - prolog_ms, 2)
    out = {"backend": backend, "software_per_machine": ms[0]["software"], "prolog_server_cpu_ms": prolog_ms, "runs": results, "verify": check,
           "time": time.strftime("%Y-%m-%d %H:%M:%S"), "load_before": load_before, "load_after": os.getloadavg()[0], "cpus": os.cpu_count()}
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
