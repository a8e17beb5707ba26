#!/usr/bin/env bash
# Reruns "Fault reports against Request Tracker 5" in BENCHMARKS.md in one window: Upravnik on
# SQLite and on PostgreSQL (a scratch database `upravnik_rbench`), then RT 5 through its own
# load.py. RT must already be set up and seeded (../shared/bench/peers/rt/README.md, as root):
# RT_DIR points at that directory (a copy of it is fine). Loopback only; everything this script
# starts it stops; RT is left running for ./stop.sh. RT 5 refuses a REST 2 POST made with a session
# cookie and no Referer (403): the copy's load.py must send `Referer: <base>/` with its API calls
# when --auth cookie (BENCHMARKS.md, "Fault reports against Request Tracker 5").
# Usage: bench/reports_run.sh [REPORTS] [PG_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS="${1:-100000}"
PG="${2:-postgres://postgres@127.0.0.1:5432}"
RT_DIR="${RT_DIR:-../shared/bench/peers/rt}"
DAY="${BENCH_DAY:-$(date +%F)}"
OUT=bench/results
BIN="${BIN:-${CARGO_TARGET_DIR:-target}/release/upravnik}"
cargo build --release --locked -p upravnik
uptime | tee "$OUT/$DAY-reports-uptime.txt"

rm -rf /tmp/upravnik-rbench-sqlite
python3 bench/reports_bench.py "$BIN" --data-dir /tmp/upravnik-rbench-sqlite --reports "$REPORTS" --json "$OUT/$DAY-reports-sqlite.json" >/dev/null
uptime | tee -a "$OUT/$DAY-reports-uptime.txt"

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_rbench WITH (FORCE)" -c "CREATE DATABASE upravnik_rbench"
python3 bench/reports_bench.py "$BIN" --database-url "$PG/upravnik_rbench" --reports "$REPORTS" --json "$OUT/$DAY-reports-postgres.json" >/dev/null
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_rbench WITH (FORCE)"
uptime | tee -a "$OUT/$DAY-reports-uptime.txt"

# RT: REST 2 with the web session cookie (no bcrypt per request), then create with its API token.
rm -f "$OUT/$DAY-reports-rt.jsonl"
(cd "$RT_DIR" && python3 load.py --auth cookie bench --ops create,search,get --conc 1,4,16 --requests 200 --seconds 40 \
    --warmup 10 --min-tickets 10000 --out "$OLDPWD/$OUT/$DAY-reports-rt.jsonl")
(cd "$RT_DIR" && python3 load.py --auth token bench --ops create --conc 1,4,16 --requests 60 --seconds 40 \
    --warmup 3 --min-tickets 10000 --out "$OLDPWD/$OUT/$DAY-reports-rt.jsonl")
uptime | tee -a "$OUT/$DAY-reports-uptime.txt"
