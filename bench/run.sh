#!/usr/bin/env bash
# Reruns the figures in BENCHMARKS.md: a cold release build, then the work-log benchmark at
# ENTRIES entries on SQLite and on PostgreSQL (a scratch database `upravnik_bench`).
# Loopback only; everything it starts it stops. Usage: bench/run.sh [ENTRIES] [PG_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES="${1:-1000000}"
PG="${2:-postgres://postgres@127.0.0.1:5432}"
TARGET="${BENCH_TARGET_DIR:-/tmp/upravnik-bench-target}"
OUT="${BENCH_OUT:-/tmp/upravnik-bench}"
mkdir -p "$OUT"

if [ "${SKIP_COLD_BUILD:-0}" != 1 ]; then
  rm -rf "$TARGET"
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB max RSS" -o "$OUT/build.txt" \
    env CARGO_TARGET_DIR="$TARGET" cargo build --release --locked -p upravnik
  cat "$OUT/build.txt"
else
  CARGO_TARGET_DIR="$TARGET" cargo build --release --locked -p upravnik
fi
BIN="$TARGET/release/upravnik"
ls -l "$BIN"

rm -rf "$OUT/sqlite-data"
python3 bench/worklog_bench.py "$BIN" --data-dir "$OUT/sqlite-data" --entries "$ENTRIES" | tee "$OUT/sqlite.json"

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_bench WITH (FORCE)" -c "CREATE DATABASE upravnik_bench"
python3 bench/worklog_bench.py "$BIN" --database-url "$PG/upravnik_bench" --entries "$ENTRIES" | tee "$OUT/postgres.json"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS upravnik_bench WITH (FORCE)"
