#!/usr/bin/env bash
# The benchmark suite of BENCHMARKS.md in one run (issue 11): a release build, then on SQLite and
# on PostgreSQL (scratch databases `upravnik_suite_*`) latency under load and the soak
# (load_bench.py, office of `generate --scale city`), fault-report creation and search
# (reports_bench.py), inventory ingest (inventory_bench.py) and the archive (backup_bench.py);
# then the share scan against find (shares_bench.py). The peers are measured in the same window
# when they are set up (their folders in ../shared/bench/peers, copied and set up as their
# READMEs say): RT_DIR=… runs Request Tracker's load.py, OCS_DIR=… OCS Inventory's load.py on the
# same inventories (OCS_FULL=1: its whole bench.sh, an hour).
# Loopback only; everything this script starts it stops (the peers are left to their stop.sh).
#
# Usage: bench/suite.sh [PG_URL]     (env: SOAK_MINUTES=10 REPORTS=100000 INVENTORIES=DIR SKIP=a,b)
# Results: bench/results/DAY-suite-*.json, one file per part and database; their tables (the ratio to
# the peer first) in DAY-suite-tables.md, made by bench/suite_tables.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PG="${1:-postgres://postgres@127.0.0.1:5432}"
DAY="${BENCH_DAY:-$(date +%F)}"
OUT=bench/results
SOAK_MINUTES="${SOAK_MINUTES:-10}"
REPORTS="${REPORTS:-100000}"
SKIP=",${SKIP:-},"
BIN="${BIN:-${CARGO_TARGET_DIR:-target}/release/upravnik}"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -p upravnik
mkdir -p "$OUT"
note() { printf '%s  %s  load %s\n' "$(date +%T)" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/$DAY-suite-log.txt"; }
skip() { [[ "$SKIP" == *",$1,"* ]]; }

scratch() { # a fresh PostgreSQL database for one part; prints its URL
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_suite_$1 WITH (FORCE)" -c "CREATE DATABASE upravnik_suite_$1" >/dev/null
  echo "$PG/upravnik_suite_$1"
}
drop() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_suite_$1 WITH (FORCE)" >/dev/null; }

for db in sqlite postgres; do
  where() { # the database arguments of a part
    if [ "$db" = sqlite ]; then rm -rf "/tmp/upravnik-suite-$1"; echo "--data-dir /tmp/upravnik-suite-$1"; else echo "--database-url $(scratch "$1")"; fi
  }
  if ! skip load; then
    note "load and soak on $db"
    # shellcheck disable=SC2046
    python3 bench/load_bench.py "$BIN" $(where load) --soak-minutes "$SOAK_MINUTES" --json "$OUT/$DAY-suite-load-$db.json" >/dev/null
  fi
  if ! skip reports; then
    note "fault reports on $db"
    # shellcheck disable=SC2046
    python3 bench/reports_bench.py "$BIN" $(where reports) --reports "$REPORTS" --json "$OUT/$DAY-suite-reports-$db.json" >/dev/null
  fi
  if ! skip inventory && [ -n "${INVENTORIES:-}" ]; then
    note "inventories on $db"
    # shellcheck disable=SC2046
    python3 bench/inventory_bench.py "$BIN" $(where inventory) --inventories "$INVENTORIES" --count 80 --json "$OUT/$DAY-suite-inventory-$db.json" >/dev/null
  fi
  if ! skip backup; then
    note "archive on $db"
    # shellcheck disable=SC2046
    python3 bench/backup_bench.py "$BIN" $(where backup) > "$OUT/$DAY-suite-backup-$db.json"
  fi
  if [ "$db" = postgres ]; then for p in load reports inventory backup; do drop "$p"; done; fi
done

if ! skip shares; then
  note "share scan against find"
  python3 bench/shares_bench.py "$BIN" --runs 5 > "$OUT/$DAY-suite-shares.json"
fi

if [ -n "${RT_DIR:-}" ] && ! skip rt; then
  note "Request Tracker 5 (peer)"
  rm -f "$OUT/$DAY-suite-rt.jsonl"
  (cd "$RT_DIR" && python3 load.py --auth cookie bench --ops create,search,get --conc 1,4,16 --requests 200 --seconds 40 \
      --warmup 10 --min-tickets 10000 --out "$OLDPWD/$OUT/$DAY-suite-rt.jsonl")
fi
if [ -n "${OCS_DIR:-}" ] && [ -n "${INVENTORIES:-}" ] && ! skip ocs; then
  note "OCS Inventory NG (peer)"
  rm -f "$OUT/$DAY-suite-ocs.jsonl"
  if [ "${OCS_FULL:-0}" = 1 ]; then
    # Its own README's whole sequence (about an hour on 2 cores).
    (cd "$OCS_DIR" && INV="$INVENTORIES" OUT="$OLDPWD/$OUT/$DAY-suite-ocs.jsonl" ./bench.sh)
  else
    # The phases Upravnik ran above, on the same bodies: new machines at C=1/4/16, then the same
    # machines again. READ-COMMITTED, because OCS loses inventories to deadlocks without it.
    # 30 machines a phase: at about one inventory a second a phase of 80 takes minutes.
    (cd "$OCS_DIR" && OCS_DB_EXTRA="transaction-isolation=READ-COMMITTED" ./setup.sh --reset-db >/dev/null &&
      python3 load.py -d "$INVENTORIES" -c 1,4,16 -n 30 --distinct --label new --json "$OLDPWD/$OUT/$DAY-suite-ocs.jsonl" &&
      python3 load.py -d "$INVENTORIES" -c 1,4,16 -n 30 --label update --json "$OLDPWD/$OUT/$DAY-suite-ocs.jsonl")
  fi
fi
note "done"
python3 bench/suite_tables.py "$DAY" > "$OUT/$DAY-suite-tables.md"
echo "tables: $OUT/$DAY-suite-tables.md"
