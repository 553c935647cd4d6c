#!/usr/bin/env bash
# Benchmark: Guwen's reads against the machine's limit, in one run. Not a test: it asserts
# nothing about speed; it appends what it measured to bench/RESULTS.md.
#
# For each roster size (30, 1,000 and 20,000 advisors, seeded through the store on a fresh
# PostgreSQL database), it starts a release `guwen serve` and, beside it, the no-database
# limit server (`guwen-limit`, serving the very bytes Guwen answered for a roster page and for
# one advisor), then drives each case with wrk (installed from the OS packages if missing),
# between two runs of the limit it is compared with, and appends one row per case with its ratio
# to the mean of those two runs. Last, it times the embedded default (SQLite) from start to
# ready.
#
#   bash bench/reads.sh                       # sizes 30 1000 20000, wrk -t2 -c32 -d10s
#   SIZES="30 1000" DURATION=5s bash bench/reads.sh
#   PG_URL=postgres://user:pw@host:5432/db bash bench/reads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-30 1000 20000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
PG_URL=${PG_URL:-postgres://guwen:guwen@127.0.0.1:5432/guwen_bench_reads}
GUWEN_PORT=18080
LIMIT_PORT=18090
source bench/common.sh
need_wrk

# wrk's requests per second and 99th percentile (ms) for a URL and optional headers.
measure() {
  local url=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "$url")
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  echo "${rps:-0} ${p99:-0} ${non2xx:-0}"
}

if ! grep -q '^## Reads' bench/RESULTS.md; then
  cat >>bench/RESULTS.md <<'EOF'

## Reads (`bash bench/reads.sh`)

`wrk -t2 -c32 -d10s` on loopback, release build, PostgreSQL on the same 2 cores. "limit" is
`guwen-limit` in the same run: no database, no middleware, the same bytes pre-serialised
(a roster page of 50 for pages, one advisor for objects and 304s). Ratio = Guwen / limit.

| date | commit | advisors | case | req/s | p99 ms | non-2xx/3xx | limit req/s | ratio |
|---|---|---|---|---|---|---|---|---|
EOF
fi

cargo build --release -q --bin guwen -p guwen-api
cargo build --release -q -p guwen-bench
bin=$PWD/target/release
commit=$(git rev-parse --short HEAD)
day=$(date -u +%Y-%m-%d)
row() { record "## Reads" "$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$day" "$commit" "$@")"; }

for n in $SIZES; do
  fresh_database guwen_bench_reads
  first=$(DATABASE_URL="$PG_URL" GUWEN_AUDIT_KEY=$AUDIT_KEY "$bin/guwen-seed" "$n")
  # The seeding leaves work for PostgreSQL's autovacuum, which would otherwise run on these
  # two cores during some case and not others: it is done now, before anything is measured.
  PGOPTIONS='-c client_min_messages=error' psql -q "$PG_URL" -c "VACUUM ANALYZE"
  (cd "$work" && DATABASE_URL="$PG_URL" BIND_ADDR=127.0.0.1:$GUWEN_PORT JWT_SECRET=$SECRET \
    GUWEN_AUDIT_KEY=$AUDIT_KEY GUWEN_PUBLIC_READ_RATE_LIMIT=1000000000 \
    exec "$bin/guwen" serve >"$work/guwen-$n.log" 2>&1) &
  guwen=$!; pids+=("$guwen")
  base=http://127.0.0.1:$GUWEN_PORT
  wait_ready "$base/readyz"
  token() { JWT_SECRET=$SECRET GUWEN_DATA_DIR=$work "$bin/guwen" token --ttl 3600 "$@"; }
  integration=$(token --role integration --sub bench-integration)
  hrss=$(token --role hrss --sub bench-hrss)
  curl -fsS "$base/api/v1/public/roster?limit=50" >"$work/page.json"
  curl -fsS -H "Authorization: Bearer $hrss" "$base/api/v1/advisors/$first" >"$work/object.json"
  etag=$(curl -fsS -o /dev/null -D - -H "Authorization: Bearer $integration" \
    "$base/api/v1/roster?limit=50" | awk 'tolower($1)=="etag:" {sub(/\r$/,"",$2); print $2}')
  "$bin/guwen-limit" 127.0.0.1:$LIMIT_PORT "$work/page.json" "$work/object.json" &
  limit=$!; pids+=("$limit")
  wait_ready "http://127.0.0.1:$LIMIT_PORT/object"

  read -r page_rps page_p99 _ < <(measure "http://127.0.0.1:$LIMIT_PORT/page")
  row "$n" "limit: a page of 50" "$page_rps" "$page_p99" 0 "$page_rps" "1.00"

  # Each case is measured between two runs of its limit (the page or the object), and its
  # ratio is to their mean: this machine's speed drifts by a tenth and more over the minutes a
  # size takes, and bracketing the case cancels a drift that is steady over its half-minute.
  case_row() { # name, limit (page or object), url, headers…
    local name=$1 kind=$2; shift 2
    local before after lim rps p99 bad
    read -r before _ _ < <(measure "http://127.0.0.1:$LIMIT_PORT/$kind")
    read -r rps p99 bad < <(measure "$@")
    read -r after _ _ < <(measure "http://127.0.0.1:$LIMIT_PORT/$kind")
    lim=$(awk -v a="$before" -v b="$after" 'BEGIN {printf "%.2f", (a+b)/2}')
    row "$n" "$name" "$rps" "$p99" "$bad" "$lim" "$(awk -v a="$rps" -v b="$lim" 'BEGIN {printf "%.2f", a/b}')"
  }
  # The 304 case counts only if the roster still answers 304 to its ETag after it (no change
  # in between made every answer a 200, which wrk would count as a success).
  status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
  case_row "GET /public/roster?limit=50" page "$base/api/v1/public/roster?limit=50"
  case_row "GET /roster?limit=50 (JSON)" page "$base/api/v1/roster?limit=50" "Authorization: Bearer $integration"
  case_row "GET /roster?limit=50, If-None-Match (304)" object "$base/api/v1/roster?limit=50" "Authorization: Bearer $integration" "If-None-Match: $etag"
  answered=$(status_of -H "Authorization: Bearer $integration" -H "If-None-Match: $etag" "$base/api/v1/roster?limit=50")
  [[ "$answered" == 304 ]] || row "$n" "the 304 case is void: the ETag then answered $answered" "-" "-" "-" "-" "-"
  case_row "GET /advisors/{id}" object "$base/api/v1/advisors/$first" "Authorization: Bearer $hrss"
  case_row "GET /candidates?limit=50" page "$base/api/v1/candidates?limit=50" "Authorization: Bearer $hrss"
  case_row "GET /fields" object "$base/api/v1/fields"
  case_row "GET /readyz (one round trip)" object "$base/readyz"
  kill "$limit"; wait "$limit" 2>/dev/null || true
  rss=$(awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$guwen/status")
  row "$n" "peak RSS of guwen (MiB)" "$rss" "-" "-" "-" "-"
  kill "$guwen"; wait "$guwen" 2>/dev/null || true
done

# The embedded default: from start to ready on a new data directory.
embedded=$(mktemp -d)
started=$(date +%s%N)
(cd "$embedded" && BIND_ADDR=127.0.0.1:$GUWEN_PORT exec "$bin/guwen" serve >"$embedded/serve.log" 2>&1) &
serve=$!; pids+=("$serve")
wait_ready "http://127.0.0.1:$GUWEN_PORT/readyz"
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
kill "$serve"; wait "$serve" 2>/dev/null || true
rm -rf "$embedded"
row "-" "embedded SQLite: start to ready (ms)" "$ready_ms" "-" "-" "-" "-"
echo "appended to bench/RESULTS.md"
