#!/usr/bin/env bash
# Measures `ladder serve` and `ladder import` on loopback.
#
#   scripts/bench-service.sh
#   LADDER_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres scripts/bench-service.sh
#
# Builds the release binary, serves a fresh SQLite database (the bundled example
# frameworks load on first start; public browsing is on by default) and runs
# `wrk --latency` against a framework page, the framework JSON, a search and
# /healthz. Then generates 1,000 distinct framework files (copies of
# frameworks/backend.md with their own `path:`) and times `ladder import` of
# them into a fresh database twice: first run (all created) and re-run (all
# unchanged).
#
# With LADDER_BENCH_POSTGRES_URL set, the server and import runs are repeated
# on PostgreSQL. The URL names any database the user can connect to; the script
# creates fresh databases next to it with `CREATE DATABASE` and drops them at
# the end.
#
# Settings (environment): LADDER_BENCH_PORT (default 38080),
# LADDER_BENCH_DURATION (seconds per wrk run, default 15),
# LADDER_BENCH_CONNECTIONS (default 64), LADDER_BENCH_THREADS (wrk threads,
# default 2), LADDER_BENCH_FILES (default 1000).
#
# wrk and the server share the machine's cores; on a small machine the figures
# are a lower bound for the server alone.

set -euo pipefail

PORT="${LADDER_BENCH_PORT:-38080}"
DURATION="${LADDER_BENCH_DURATION:-15}"
CONNECTIONS="${LADDER_BENCH_CONNECTIONS:-64}"
THREADS="${LADDER_BENCH_THREADS:-2}"
FILES="${LADDER_BENCH_FILES:-1000}"
PG_URL="${LADDER_BENCH_POSTGRES_URL:-}"
ADDR="127.0.0.1:${PORT}"
BASE="http://${ADDR}"
ENDPOINTS=(
    /frameworks/engineering-backend
    /api/v1/frameworks/engineering-backend
    "/api/v1/search?q=postgres"
    /healthz
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v wrk >/dev/null 2>&1; then
    echo "error: wrk is not installed (Debian/Ubuntu: sudo apt-get install -y wrk)" >&2
    exit 1
fi
if ! command -v curl >/dev/null 2>&1; then
    echo "error: curl is not installed (Debian/Ubuntu: sudo apt-get install -y curl)" >&2
    exit 1
fi
if [[ -n "$PG_URL" ]] && ! command -v psql >/dev/null 2>&1; then
    echo "error: LADDER_BENCH_POSTGRES_URL is set but psql is not installed" >&2
    exit 1
fi

source "$ROOT/scripts/lib/bench-server.sh"
SUMMARY="$TMP/summary.txt"
: >"$SUMMARY"

echo "== building (cargo build --release)"
cargo build --release --quiet
LADDER="$ROOT/target/release/ladder"

echo "== machine: $(nproc) cores, $(uname -sr); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (wrk shares the cores with the server)"

# Runs wrk against every endpoint; $1 names the backend for the summary.
run_wrk() {
    local backend="$1" endpoint out status
    for endpoint in "${ENDPOINTS[@]}"; do
        # Warm up (and check) once: the first request parses and caches the framework.
        status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE$endpoint")"
        if [[ "$status" != 200 ]]; then
            echo "error: GET $endpoint answered $status, expected 200" >&2
            exit 1
        fi
        echo
        echo "== [$backend] GET $endpoint ($(curl -s --max-time 10 "$BASE$endpoint" | wc -c) bytes)"
        out="$TMP/wrk.txt"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$BASE$endpoint" | tee "$out"
        awk -v backend="$backend" -v endpoint="$endpoint" '
            /Requests\/sec:/ { rps = $2 }
            /^ +50%/ { p50 = $2 }
            /^ +90%/ { p90 = $2 }
            /^ +99%/ { p99 = $2 }
            /Non-2xx or 3xx responses:/ { bad = $NF }
            /Socket errors:/ { errors = $0; sub(/^ +/, "", errors) }
            END {
                printf "%-9s %-40s %10s req/s  p50 %-9s p90 %-9s p99 %-9s%s%s\n", backend, endpoint, rps, p50, p90, p99,
                    (bad ? "  NON-2xx: " bad : ""), (errors ? "  " errors : "")
            }' "$out" >>"$SUMMARY"
    done
}

now() { date +%s.%N; }

# Imports $FILES_DIR into database URL $1 twice; $2 names the backend.
run_import() {
    local url="$1" backend="$2" run start end log
    for run in "first run" "re-run"; do
        log="$TMP/import-$backend-${run// /-}.log"
        start="$(now)"
        if ! "$LADDER" import --db "$url" "$FILES_DIR" >"$log" 2>&1; then
            echo "error: ladder import failed ($backend, $run); last lines:" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        end="$(now)"
        echo "== [$backend] import $FILES files, $run: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f s", b - a }') — $(tail -n 1 "$log")"
        awk -v a="$start" -v b="$end" -v backend="$backend" -v run="$run" -v n="$FILES" \
            'BEGIN { printf "%-9s import %d files, %-9s %8.2f s\n", backend, n, run ":", b - a }' >>"$SUMMARY"
    done
}

# --- SQLite -----------------------------------------------------------------

start_server "sqlite://$TMP/ladder.db" sqlite
run_wrk sqlite
stop_server

echo
echo "== generating $FILES framework files"
FILES_DIR="$TMP/frameworks"
mkdir -p "$FILES_DIR"
for i in $(seq -w 1 "$FILES"); do
    sed -e "s|^path: .*|path: \"/bench/backend-$i\"|" \
        -e "s|^title: .*|title: \"Backend Engineering $i\"|" \
        frameworks/backend.md >"$FILES_DIR/backend-$i.md"
done
if [[ "$(grep -h '^path:' "$FILES_DIR"/*.md | sort -u | wc -l)" -ne "$FILES" ]]; then
    echo "error: generated files do not have distinct paths" >&2
    exit 1
fi
echo "   $(du -sh "$FILES_DIR" | cut -f1) in $FILES_DIR"

run_import "sqlite://$TMP/import.db" sqlite

# --- PostgreSQL ---------------------------------------------------------------

if [[ -n "$PG_URL" ]]; then
    SERVE_DB="ladder_bench_serve_$$"
    IMPORT_DB="ladder_bench_import_$$"
    for db in "$SERVE_DB" "$IMPORT_DB"; do
        create_pg_database "$db"
    done
    echo
    start_server "$(pg_url_for "$SERVE_DB")" postgres
    run_wrk postgres
    stop_server
    echo
    run_import "$(pg_url_for "$IMPORT_DB")" postgres
fi

echo
echo "== summary ($(nproc) cores shared by wrk and the server; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s)"
cat "$SUMMARY"
