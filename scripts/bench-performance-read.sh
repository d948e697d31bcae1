#!/usr/bin/env bash
# Measures the live-performance read with 1,000 and 1,000,000 submitted
# scorecards (issue #5's benchmark).
#
#   scripts/bench-performance-read.sh
#   LADDER_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-performance-read.sh
#
# For each backend (SQLite, and PostgreSQL when LADDER_BENCH_POSTGRES_URL is
# set) and each size in LADDER_BENCH_SIZES (default "1000 1000000"):
#
#   1. a fresh database: `ladder serve` loads and publishes the demo job spec,
#      then stops;
#   2. the seeding example (crates/ladder-store/examples/seed_scorecards.rs)
#      inserts N completed interviews with one submitted scorecard each, the
#      scores computed by ladder-core exactly as a submission does and the
#      live figures moved in the same transactions (seeding a million through
#      HTTP would take hours);
#   3. `ladder verify` recomputes every figure from the raw rows: it must find
#      no difference, or the run stops;
#   4. `ladder serve` again, and GET /api/v1/job-specs/{id}/performance is
#      measured with wrk: one connection (the latency of one request alone)
#      and 16 connections (under load), LADDER_BENCH_DURATION seconds each.
#
# Settings: LADDER_BENCH_SQLITE=0 (PostgreSQL only), LADDER_BENCH_PORT (default 38190), LADDER_BENCH_SIZES,
# LADDER_BENCH_DURATION (default 10), LADDER_BIN and LADDER_SEED_BIN (default:
# build both in release mode). Needs wrk, curl and python3 (and psql for
# PostgreSQL). wrk, the server and the database share the machine's cores.

set -euo pipefail

PORT="${LADDER_BENCH_PORT:-38190}"
SIZES="${LADDER_BENCH_SIZES:-1000 1000000}"
DURATION="${LADDER_BENCH_DURATION:-10}"
PG_URL="${LADDER_BENCH_POSTGRES_URL:-}"
ADDR="127.0.0.1:${PORT}"
BASE="http://${ADDR}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is not installed" >&2; exit 1; }
done
if [[ -n "$PG_URL" ]] && ! command -v psql >/dev/null 2>&1; then
    echo "error: LADDER_BENCH_POSTGRES_URL is set but psql is not installed" >&2
    exit 1
fi

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ -z "${LADDER_BIN:-}" || -z "${LADDER_SEED_BIN:-}" ]]; then
    echo "== building (cargo build --release; the seeding example)"
    cargo build --release --quiet --bin ladder
    cargo build --release --quiet -p ladder-store --example seed_scorecards
fi
LADDER="${LADDER_BIN:-$TARGET/release/ladder}"
SEED="${LADDER_SEED_BIN:-$TARGET/release/examples/seed_scorecards}"

source "$ROOT/scripts/lib/bench-server.sh"
SUMMARY="$TMP/summary.txt"
: >"$SUMMARY"

measure() {
    local label="$1" connections="$2" token="$3" spec="$4" out="$5"
    wrk -t1 -c"$connections" -d"${DURATION}s" --timeout 5s --latency -H "Authorization: Bearer $token" \
        "$BASE/api/v1/job-specs/$spec/performance" >"$out"
    awk -v label="$label" -v c="$connections" '
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = $2 }
        /^ +99%/ { p99 = $2 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        END { printf "%s  wrk -c%-2s  %9s req/s  p50 %8s  p99 %8s%s\n", label, c, rps, p50, p99, (bad ? "  NON-2xx: " bad : "") }' "$out" | tee -a "$SUMMARY"
}

# Runs the whole measurement for database URL $1 ($2 names the backend) with
# $3 scorecards; $4 is a directory for the server's files.
bench() {
    local url="$1" backend="$2" n="$3" dir="$4" token spec t0 t1 size
    mkdir -p "$dir"
    start_server "$url" "$dir"
    token="$(cd "$dir" && "$LADDER" token create admin@localhost --name "bench-read" --db "$url" 2>/dev/null)"
    spec="$(curl -fs -H "Authorization: Bearer $token" "$BASE/api/v1/job-specs" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
    stop_server
    echo
    echo "== [$backend, $n scorecards] seeding job spec $spec"
    t0=$(date +%s.%N)
    (cd "$dir" && "$SEED" "$url" "$spec" "$n") 2>"$dir/seed.log"
    t1=$(date +%s.%N)
    printf "%-8s %8d scorecards: seeded in %.1f s\n" "$backend" "$n" "$(echo "$t1 - $t0" | bc)" | tee -a "$SUMMARY"
    t0=$(date +%s.%N)
    if ! (cd "$dir" && "$LADDER" verify --db "$url"); then
        echo "error: ladder verify found differences after seeding" >&2
        exit 1
    fi
    t1=$(date +%s.%N)
    printf "%-8s %8d scorecards: ladder verify clean in %.1f s\n" "$backend" "$n" "$(echo "$t1 - $t0" | bc)" | tee -a "$SUMMARY"
    if [[ "$backend" == postgres ]]; then
        # After a bulk load PostgreSQL's autovacuum would otherwise vacuum and
        # analyse the new rows during the measurement; do it first, as an
        # operator would after loading, and checkpoint the written pages.
        t0=$(date +%s.%N)
        psql "$url" -q -v ON_ERROR_STOP=1 -c "VACUUM (ANALYZE)" -c "CHECKPOINT" >/dev/null
        t1=$(date +%s.%N)
        printf "%-8s %8d scorecards: VACUUM (ANALYZE) and CHECKPOINT in %.1f s\n" "$backend" "$n" "$(echo "$t1 - $t0" | bc)" | tee -a "$SUMMARY"
    fi
    if [[ "$backend" == sqlite ]]; then
        size="$(du -sh "$dir/ladder.db" | cut -f1)"
        echo "$backend   $n scorecards: database file $size" | tee -a "$SUMMARY"
    fi
    start_server "$url" "$dir"
    local first="$dir/first.json" code
    code="$(curl -s -o "$first" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" "$BASE/api/v1/job-specs/$spec/performance")"
    echo "   first read: HTTP ${code% *} in ${code#* } s" | tee -a "$SUMMARY"
    if [[ "${code% *}" != 200 ]]; then
        echo "error: the performance read failed: $(head -c 500 "$first")" >&2
        tail -20 "$dir/server.log" >&2
        exit 1
    fi
    python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print("   performance says: interviews", p["interviews"], "scored", p["scored"], "avg", p["avg_score_display"])' "$first" | tee -a "$SUMMARY"
    measure "$(printf '%-8s %8d scorecards:' "$backend" "$n")" 1 "$token" "$spec" "$dir/wrk1.txt"
    measure "$(printf '%-8s %8d scorecards:' "$backend" "$n")" 16 "$token" "$spec" "$dir/wrk16.txt"
    stop_server
    if [[ "$backend" == sqlite ]]; then
        rm -rf "$dir"
    fi
}

echo "== machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

for n in $SIZES; do
    if [[ "${LADDER_BENCH_SQLITE:-1}" != 0 ]]; then
        bench "sqlite://$TMP/sqlite-$n/ladder.db" sqlite "$n" "$TMP/sqlite-$n"
    fi
    if [[ -n "$PG_URL" ]]; then
        db="ladder_bench_read_$$_$n"
        create_pg_database "$db"
        bench "$(pg_url_for "$db")" postgres "$n" "$TMP/postgres-$n"
        psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
done

echo
echo "== summary (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$SUMMARY"
