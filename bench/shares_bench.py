#!/usr/bin/env python3
"""Share-scan benchmark for BENCHMARKS.md (issue 10): files per second of `upravnik shares scan`
on a generated tree of 1,000,000 files, warm and cold cache, against `find PATH -printf ''` on
the same tree in the same run (the floor of walking it), and the scan's peak memory.

The tree looks like a city's document share: units / employees / JAVNO|PRIVATNO / a few folders
of documents, about 5% of the names breaking R.42 (Cyrillic, diacritics, punctuation) and a few
music files. Cold cache needs root (it writes /proc/sys/vm/drop_caches); without it only the
warm figures are taken. Nothing leaves the machine.

usage: shares_bench.py BIN [--files N] [--dir DIR] [--reuse] [--runs K]
"""
import argparse, json, os, subprocess, sys, time

UNITS = 14
PEOPLE = 8


def generate(root, files):
    """Writes `files` empty files; returns how many were written."""
    per_person = files // (UNITS * PEOPLE)
    n = 0
    made = set()
    for u in range(UNITS):
        unit = f"Jedinica {u:02d}" if u % 5 else f"Одељење {u:02d}"
        for p in range(PEOPLE):
            person = f"Zaposleni {p:02d}" if p % 4 else f"Petar Petrović {p:02d}"
            for i in range(per_person):
                top = "JAVNO" if i % 3 else "PRIVATNO"
                sub = f"Predmeti {i // 500:03d}"
                d = os.path.join(root, unit, person, top, sub)
                if d not in made:
                    os.makedirs(d, exist_ok=True)
                    made.add(d)
                if i % 20 == 0:
                    name = f"Решење о одмору {i}.docx" if i % 40 == 0 else f"Zapisnik (konačni) {i}.docx"
                elif i % 997 == 0:
                    name = f"Pesma {i}.mp3"
                else:
                    name = f"Dopis {i}.docx"
                open(os.path.join(d, name), "wb").close()
                n += 1
    return n


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


REPORT = "/var/tmp/upravnik-shares-bench/report.json"


def timed(cmd):
    """(seconds, peak RSS of the command in MB — GNU time's %M). Its output goes to a file, as a
    report kept for the server would, so reading a pipe is not timed."""
    t = time.perf_counter()
    with open(REPORT, "wb") as f:
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=f, stderr=subprocess.PIPE, env={**os.environ, "UPRAVNIK_LOG": "warn"})
    secs = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(f"{cmd}: {out.stderr.decode(errors='replace')}")
    rss_kb = int(out.stderr.decode().strip().splitlines()[-1])
    return secs, rss_kb / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--dir", default="/var/tmp/upravnik-shares-bench")
    ap.add_argument("--reuse", action="store_true", help="use the tree already in --dir")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    root = os.path.join(a.dir, "share")
    if not a.reuse:
        subprocess.run(["rm", "-rf", root], check=True)
        os.makedirs(root)
        t = time.perf_counter()
        n = generate(root, a.files)
        print(f"generated {n} files in {time.perf_counter() - t:.0f} s", flush=True)
    find = ["find", root, "-printf", ""]
    scan = [a.bin, "shares", "scan", "--json", root]
    res = {"files": None, "runs": a.runs}
    # Warm: one run to fill the cache, then the best of K (the floor of each).
    timed(find)
    timed(scan)
    warm_find = min(timed(find)[0] for _ in range(a.runs))
    warm = [timed(scan) for _ in range(a.runs)]
    with open(REPORT) as f:
        report = json.load(f)
    res["files"] = report["files"]
    res["violations"] = report["violations"]
    res["warm_find_s"] = warm_find
    res["warm_scan_s"] = min(w[0] for w in warm)
    res["scan_peak_mb"] = max(w[1] for w in warm)
    if drop_caches():
        drop_caches()
        res["cold_find_s"] = timed(find)[0]
        drop_caches()
        res["cold_scan_s"] = timed(scan)[0]
    files = res["files"]
    for k in ["warm_find", "warm_scan", "cold_find", "cold_scan"]:
        if f"{k}_s" in res:
            res[f"{k}_files_per_s"] = round(files / res[f"{k}_s"])
    res["warm_ratio"] = round(res["warm_find_s"] / res["warm_scan_s"], 3)
    if "cold_scan_s" in res:
        res["cold_ratio"] = round(res["cold_find_s"] / res["cold_scan_s"], 3)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
