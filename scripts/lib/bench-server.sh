# Shared by the scripts/bench-*.sh scripts: a scratch directory, starting and
# stopping one `ladder serve` on loopback, and PostgreSQL databases made for a
# run and dropped after it. Source it after setting LADDER (the binary), ADDR
# (host:port), BASE (http://ADDR) and PG_URL (empty for SQLite only); it sets
# TMP, SERVER_PID and PG_DATABASES and installs the cleanup trap.
# shellcheck shell=bash

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ladder-bench.XXXXXX")"
SERVER_PID=""
PG_DATABASES=()

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        # Graceful shutdown first: in-flight requests finish.
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# The URL of database $1 on the server PG_URL points at (same user, host, options).
pg_url_for() {
    local url="${PG_URL%%\?*}" query=""
    [[ "$PG_URL" == *\?* ]] && query="?${PG_URL#*\?}"
    echo "${url%/*}/$1${query}"
}

# Creates a fresh PostgreSQL database named $1, dropped at exit.
create_pg_database() {
    psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" >/dev/null
    PG_DATABASES+=("$1")
}

bench_cleanup() {
    stop_server
    for db in "${PG_DATABASES[@]+"${PG_DATABASES[@]}"}"; do
        psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$TMP"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# Serves database URL $1 from directory $2 (a name is taken inside $TMP; the
# server's relative paths, such as its blob directory, land there) and waits
# until it is ready. Its log is $dir/server.log.
start_server() {
    local url="$1" dir="$2"
    [[ "$dir" == /* ]] || dir="$TMP/$dir"
    mkdir -p "$dir"
    local log="$dir/server.log"
    if curl -s -o /dev/null --max-time 1 "$BASE/healthz"; then
        echo "error: something already answers on $ADDR; choose another LADDER_BENCH_PORT" >&2
        exit 1
    fi
    (cd "$dir" && exec "$LADDER" serve --addr "$ADDR" --db "$url") >>"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        curl -fs -o /dev/null --max-time 1 "$BASE/readyz" && return 0
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "error: the server exited; its log:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "error: the server did not become ready within 60 s; its log:" >&2
    cat "$log" >&2
    exit 1
}
