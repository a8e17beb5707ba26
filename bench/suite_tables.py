#!/usr/bin/env python3
"""The tables of BENCHMARKS.md from one run of bench/suite.sh (issue 11).

Reads bench/results/DAY-suite-*.json(l) — Upravnik on SQLite and PostgreSQL and, when they ran in
the same window, Request Tracker 5 and OCS Inventory NG — and prints Markdown: the ratio against
the peer is the headline figure, since absolute times vary between machines. A part that did not
run is said to be missing, not left out silently.

usage: suite_tables.py [DAY] [--results DIR]
"""
import argparse, datetime, json, os, sys

DBS = ("sqlite", "postgres")


def load(path):
    if not os.path.exists(path):
        return None
    if path.endswith(".jsonl"):
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    with open(path) as f:
        return json.load(f)


def ratio(a, b):
    return f"**{a / b:.0f}×**" if a and b else "—"


def fmt(x, digits=1):
    return "—" if x is None else f"{x:.{digits}f}"


def by_db(out, first, values, lines):
    """A table with a SQLite and a PostgreSQL column: one row per (title, how to print a value)."""
    out.append(f"| {first} | SQLite | PostgreSQL |")
    out.append("|---|---|---|")
    for title, f in lines:
        out.append(f"| {title} | " + " | ".join(f(v) if v else "—" for v in values) + " |")


def missing(out, what):
    out.append(f"_{what}: not in this run._\n")


def reports(res, rt, out):
    out.append("### Fault reports: creating (reports/s, p50 / p99 ms)\n")
    if not any(res.values()):
        return missing(out, "fault reports")
    rt_create = {(r.get("auth"), r["concurrency"]): r for r in (rt or []) if r.get("op") == "create"}
    out.append("| C | Upravnik SQLite | Upravnik PostgreSQL | RT 5, session cookie | RT 5, API token | ratio to RT cookie, SQLite / PG |")
    out.append("|---|---|---|---|---|---|")
    for c in (1, 4, 16):
        row, rates = [str(c)], []
        for db in DBS:
            r = next((x for x in (res[db] or {}).get("creates", []) if x["concurrency"] == c), None)
            rates.append(r["rps"] if r else None)
            row.append(f"**{r['rps']:.0f}** ({r['p50_ms']:.1f} / {r['p99_ms']:.0f})" if r else "—")
        for auth in ("cookie", "token"):
            r = rt_create.get((auth, c))
            row.append(f"{r['rps']:.2f} ({r['p50_ms']:.0f} / {r['p99_ms']:.0f})" if r else "—")
        peer = rt_create.get(("cookie", c), {}).get("rps")
        row.append(f"{ratio(rates[0], peer)} / {ratio(rates[1], peer)}")
        out.append("| " + " | ".join(row) + " |")
    errors = sum(x.get("errors", 0) for db in DBS for x in (res[db] or {}).get("creates", []))
    out.append(f"\nErrors in Upravnik's creates: {errors}.\n")
    out.append("### Fault reports: list and search, sequential (p50 / p95 ms)\n")
    out.append("| scenario | SQLite | PostgreSQL |")
    out.append("|---|---|---|")
    names = [r["scenario"] for r in (res["sqlite"] or res["postgres"] or {}).get("results", [])]
    for name in names:
        row = [name]
        for db in DBS:
            r = next((x for x in (res[db] or {}).get("results", []) if x["scenario"] == name), None)
            row.append(f"{r['p50_ms']:.1f} / **{r['p95_ms']:.1f}**" if r else "—")
        out.append("| " + " | ".join(row) + " |")
    rt_search = [r for r in (rt or []) if r.get("op") in ("search", "get")]
    if rt_search:
        out.append("\nRT 5 in the same window (its own load.py, cookie): " + "; ".join(
            f"{r['op']} C={r['concurrency']} p50 {r['p50_ms']:.0f} / p99 {r['p99_ms']:.0f} ms" for r in rt_search) + ".")
    out.append("")


def inventories(res, ocs, out):
    out.append("### Agent inventories (inventories/s, session p50 / p99 ms)\n")
    if not any(res.values()):
        return missing(out, "inventories")
    peer = {}
    for r in ocs or []:
        peer[(r.get("label"), r["concurrency"])] = r.get("landed_per_s", r.get("inventories_per_s"))
    out.append("| phase | C | Upravnik SQLite | Upravnik PostgreSQL | OCS Inventory NG | ratio SQLite / PG |")
    out.append("|---|---|---|---|---|---|")
    for label, ocs_label in (("new", "new"), ("unchanged", "update")):
        for c in (1, 4, 16):
            row, rates = [label, str(c)], []
            for db in DBS:
                r = next((x for x in (res[db] or {}).get("runs", []) if x["label"] == label and x["concurrency"] == c), None)
                rates.append(r["inventories_per_s"] if r else None)
                row.append(f"**{r['inventories_per_s']:.1f}** ({r['session_ms']['p50']:.0f} / {r['session_ms']['p99']:.0f})" if r else "—")
            p = peer.get((ocs_label, c))
            row.append(fmt(p, 2))
            row.append(f"{ratio(rates[0], p)} / {ratio(rates[1], p)}")
            out.append("| " + " | ".join(row) + " |")
    for db in DBS:
        v = (res[db] or {}).get("verify")
        if v:
            out.append(f"\n{db}: {v['machines']} machines, {v['missing']} missing, {v['duplicated']} duplicated, "
                       f"{v['without_software']} without their programs.")
    out.append("")


def load_and_soak(res, out):
    out.append("### Latency under load, 16 connections (requests/s, p50 / p95 / p99 ms)\n")
    if not any(res.values()):
        return missing(out, "load and soak")
    out.append("| scenario | SQLite req/s | p50 / p95 / p99 | PostgreSQL req/s | p50 / p95 / p99 | errors |")
    out.append("|---|---|---|---|---|---|")
    names = [(s["kind"], s["name"]) for s in (res["sqlite"] or res["postgres"])["scenarios"]]
    for kind, name in names:
        row, errors = [f"{kind}: {name}"], 0
        for db in DBS:
            s = next((x for x in (res[db] or {}).get("scenarios", []) if (x["kind"], x["name"]) == (kind, name)), None)
            if s:
                errors += s["status_errors"] + s["socket_errors"]
                row += [f"{s['rps']:.0f}", f"{s['p50']:.1f} / {s['p95']:.1f} / {s['p99']:.1f}"]
            else:
                row += ["—", "—"]
        row.append(str(errors))
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    by_db(out, "soak", [(res[db] or {}).get("soak") for db in DBS], [
        ("minutes, requests", lambda s: f"{s['minutes']:.0f}, {s['requests']:,}"),
        ("errors", lambda s: f"**{s['status_errors'] + s['socket_errors']}**"),
        ("p50 / p95 / p99 / max ms", lambda s: f"{s['p50']:.1f} / {s['p95']:.1f} / {s['p99']:.1f} / {s['max']:.0f}"),
        ("resident memory after warm-up → end (max)",
         lambda s: f"{s['rss_kb_after_warmup'] / 1024:.1f} → {s['rss_kb_end'] / 1024:.1f} MB ({s['rss_kb_max_after_warmup'] / 1024:.1f})"),
        ("open files after warm-up → end", lambda s: f"{s['fds_after_warmup']} → {s['samples'][-1]['fds']}"),
    ])
    out.append("")


def backups(res, out):
    out.append("### The archive (issue 8)\n")
    if not any(res.values()):
        return missing(out, "backups")
    by_db(out, "archive", [res[db] for db in DBS], [
        ("rows, work-log entries", lambda r: f"{int(r['rows']):,}, {int(r['worklog_entries']):,}"),
        ("archive, verify (s)", lambda r: f"{r['backup_s']:.1f}, {r['verify_s']:.1f}"),
        ("archive size (MB)", lambda r: f"{r['archive_bytes'] / 1e6:.0f}"),
        ("one asset, idle → during the archive, p95 ms",
         lambda r: f"{r['latency_idle_ms']['p95']:.1f} → {r['latency_during_backup_ms']['p95']:.1f}"),
    ])
    out.append("")


def shares(r, out):
    out.append("### Share scan against `find` (issue 10)\n")
    if not r:
        return missing(out, "share scan")
    out.append("| files | warm: find / scan (s) | cold: find / scan (s) | scan time ÷ find time, warm / cold |")
    out.append("|---|---|---|---|")
    out.append(f"| {r['files']:,} | {r['warm_find_s']:.2f} / {r['warm_scan_s']:.2f} | {r['cold_find_s']:.2f} / {r['cold_scan_s']:.2f} "
               f"| {1 / r['warm_ratio']:.2f} / {1 / r['cold_ratio']:.2f} |")
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("day", nargs="?", default=datetime.date.today().isoformat())
    ap.add_argument("--results", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))
    a = ap.parse_args()
    p = lambda name: os.path.join(a.results, f"{a.day}-suite-{name}")
    per_db = lambda part: {db: load(p(f"{part}-{db}.json")) for db in DBS}
    out = [f"## The suite of {a.day} (`bench/suite.sh`)\n"]
    log = p("log.txt")
    if os.path.exists(log):
        out.append("```\n" + open(log).read().strip() + "\n```\n")
    reports(per_db("reports"), load(p("rt.jsonl")), out)
    inventories(per_db("inventory"), load(p("ocs.jsonl")), out)
    load_and_soak(per_db("load"), out)
    backups(per_db("backup"), out)
    shares(load(p("shares.json")), out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
