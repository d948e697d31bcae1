#!/usr/bin/env bash
# Measures interview ingestion and the live-performance read on loopback.
#
#   scripts/bench-interviews.sh
#   LADDER_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-interviews.sh
#
# For each backend (SQLite, and PostgreSQL when LADDER_BENCH_POSTGRES_URL is
# set) it serves a fresh database (the demo job spec loads and is published on
# first start), creates an admin API token, invites LADDER_BENCH_CANDIDATES
# candidates through the CSV endpoint (1,000 rows a request) and then, with
# LADDER_BENCH_CLIENTS concurrent clients (Python threads, one keep-alive
# connection each):
#
#   1. posts LADDER_BENCH_ANSWERS Round 01 answers per candidate
#      (POST /api/v1/candidate/{token}/answers; each token stays far under its
#      120 requests/minute limit);
#   2. submits one scorecard per interview as the admin
#      (POST /api/v1/interviews/{id}/scorecards);
#   3. reads GET /api/v1/job-specs/{id}/performance with
#      `wrk -c16 -d${LADDER_BENCH_DURATION}s --latency` once the scorecards are in.
#
# Settings (environment): LADDER_BENCH_PORT (default 38180),
# LADDER_BENCH_CANDIDATES (default 2000), LADDER_BENCH_ANSWERS (default 3),
# LADDER_BENCH_CLIENTS (default 256), LADDER_BENCH_DURATION (default 10),
# LADDER_BIN (default: build with `cargo build --release` and use
# target/release/ladder).
#
# The Python client and wrk share the machine's cores with the server; on a
# small machine the figures are a lower bound for the server alone (and the
# Python client, bound by its interpreter lock, may itself be the limit).

set -euo pipefail

PORT="${LADDER_BENCH_PORT:-38180}"
CANDIDATES="${LADDER_BENCH_CANDIDATES:-2000}"
ANSWERS="${LADDER_BENCH_ANSWERS:-3}"
CLIENTS="${LADDER_BENCH_CLIENTS:-256}"
DURATION="${LADDER_BENCH_DURATION:-10}"
PG_URL="${LADDER_BENCH_POSTGRES_URL:-}"
ADDR="127.0.0.1:${PORT}"
BASE="http://${ADDR}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in wrk curl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is not installed" >&2
        exit 1
    fi
done
if [[ -n "$PG_URL" ]] && ! command -v psql >/dev/null 2>&1; then
    echo "error: LADDER_BENCH_POSTGRES_URL is set but psql is not installed" >&2
    exit 1
fi

if [[ -n "${LADDER_BIN:-}" ]]; then
    LADDER="$LADDER_BIN"
else
    echo "== building (cargo build --release)"
    cargo build --release --quiet
    LADDER="${CARGO_TARGET_DIR:-$ROOT/target}/release/ladder"
fi

source "$ROOT/scripts/lib/bench-server.sh"
SUMMARY="$TMP/summary.txt"
: >"$SUMMARY"

# The load generator: invites, answers, scorecards. Prints summary lines and
# writes the job spec id to $TMP/spec-id.
cat >"$TMP/load.py" <<'PY'
import http.client, json, sys, threading, time, queue

base_host, base_port = sys.argv[1].split(":")
token, backend, tmp = sys.argv[2], sys.argv[3], sys.argv[4]
candidates, answers_each, clients = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
auth = {"Authorization": "Bearer " + token}

def conn():
    return http.client.HTTPConnection(base_host, int(base_port), timeout=60)

def call(c, method, path, body=None, headers=None, expect=(200, 201)):
    h = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        h.setdefault("Content-Type", "application/json")
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    if r.status not in expect:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None

c = conn()
specs = call(c, "GET", "/api/v1/job-specs", headers=auth)
spec_id = specs[0]["id"]
open(f"{tmp}/spec-id", "w").write(spec_id)
detail = call(c, "GET", f"/api/v1/job-specs/{spec_id}", headers=auth)

def find(value, key):
    """The first list under `key` anywhere in the job spec JSON."""
    if isinstance(value, dict):
        if isinstance(value.get(key), list):
            return value[key]
        for inner in value.values():
            found = find(inner, key)
            if found is not None:
                return found
    elif isinstance(value, list):
        for inner in value:
            found = find(inner, key)
            if found is not None:
                return found
    return None

competencies = [x["id"] for x in find(detail, "competencies")]
must_haves = [m for m in find(detail, "must_haves") or []]

start = time.monotonic()
invitations = []
for first in range(0, candidates, 1000):
    rows = ["name,email"] + [f"Bench Candidate {i},bench{i}@example.com"
                             for i in range(first, min(first + 1000, candidates))]
    invitations += call(c, "POST", f"/api/v1/job-specs/{spec_id}/interviews/csv",
                        body="\n".join(rows) + "\n", headers={**auth, "Content-Type": "text/csv"})
invite_s = time.monotonic() - start
print(f"{backend:9s} invite {len(invitations)} candidates by CSV: {invite_s:.2f} s", flush=True)

view = call(c, "GET", f"/api/v1/candidate/{invitations[0]['candidate_token']}")
items = [q["id"] for q in view["round1"]][:answers_each]
if len(items) < answers_each:
    sys.exit(f"the demo spec has only {len(items)} Round 01 questions")

def run(name, jobs):
    q = queue.Queue()
    for j in jobs:
        q.put(j)
    lat, errors, lock = [], [], threading.Lock()
    def worker():
        c = conn()
        mine = []
        while True:
            try:
                method, path, body, headers = q.get_nowait()
            except queue.Empty:
                break
            t = time.monotonic()
            try:
                call(c, method, path, body=body, headers=headers)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(str(e))
                c.close()
                c = conn()
            mine.append(time.monotonic() - t)
        with lock:
            lat.extend(mine)
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    ok = len(lat) - len(errors)
    print(f"{backend:9s} {name:11s} {ok} in {elapsed:.2f} s = {ok / elapsed:8.1f}/s  "
          f"p50 {pct(0.50):.1f} ms  p99 {pct(0.99):.1f} ms  ({clients} clients"
          + (f", {len(errors)} ERRORS, first: {errors[0]}" if errors else "") + ")", flush=True)

# Answers, interleaved so no token sees its requests back to back.
jobs = [("POST", f"/api/v1/candidate/{inv['candidate_token']}/answers",
         {"round": 1, "item_id": item, "text": f"Bench answer {n} for {item}: " + "x" * 400}, None)
        for n, item in enumerate(items) for inv in invitations]
run("answers", jobs)

card = {"scores": [{"competency_id": cid, "score": 60 + 5 * (i % 6), "evidence": "bench"}
                   for i, cid in enumerate(competencies)],
        "must_haves": [{"text": m["text"], "met": True} for m in must_haves],
        "recommendation": "yes", "submit": True}
jobs = [("POST", f"/api/v1/interviews/{inv['interview']['id']}/scorecards", card, auth)
        for inv in invitations]
run("scorecards", jobs)
PY

# Runs the whole measurement against database URL $1; $2 names the backend.
bench() {
    local url="$1" backend="$2" token spec out
    start_server "$url" "$backend"
    token="$(cd "$TMP" && "$LADDER" token create admin@localhost --name "bench-$backend" --db "$url" 2>/dev/null)"
    echo
    echo "== [$backend] $CANDIDATES candidates × $ANSWERS answers, $CLIENTS clients"
    python3 "$TMP/load.py" "$ADDR" "$token" "$backend" "$TMP" "$CANDIDATES" "$ANSWERS" "$CLIENTS" | tee -a "$SUMMARY"
    spec="$(cat "$TMP/spec-id")"
    out="$TMP/wrk.txt"
    curl -fs -o /dev/null -H "Authorization: Bearer $token" "$BASE/api/v1/job-specs/$spec/performance"
    echo "== [$backend] GET /api/v1/job-specs/{id}/performance with $CANDIDATES submitted scorecards"
    wrk -t2 -c16 -d"${DURATION}s" --timeout 5s --latency -H "Authorization: Bearer $token" \
        "$BASE/api/v1/job-specs/$spec/performance" | tee "$out"
    awk -v backend="$backend" -v n="$CANDIDATES" '
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = $2 }
        /^ +99%/ { p99 = $2 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        END { printf "%-9s performance read (%d scorecards, wrk -c16): %s req/s  p50 %s  p99 %s%s\n",
              backend, n, rps, p50, p99, (bad ? "  NON-2xx: " bad : "") }' "$out" >>"$SUMMARY"
    stop_server
}

echo "== machine: $(nproc) cores, $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"

bench "sqlite://$TMP/ladder.db" sqlite

if [[ -n "$PG_URL" ]]; then
    db="ladder_bench_interviews_$$"
    create_pg_database "$db"
    bench "$(pg_url_for "$db")" postgres
fi

echo
echo "== summary (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$SUMMARY"
