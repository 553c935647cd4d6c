#!/usr/bin/env bash
# Benchmark: writes per second on PostgreSQL with the audit chain. Not a test: it asserts
# nothing about speed; it appends what it measured to bench/RESULTS.md.
#
# It starts a release `guwen serve` on a fresh PostgreSQL database and drives two writes with
# wrk (installed from the OS packages if missing), each for DURATION:
#   - `POST /tasks`: a government office creates a task (its insert, its audit event and the
#     created task's view in one transaction);
#   - `POST /tasks/{id}/cancellation`: a simple transition, one open task per request (the
#     tasks the first case created), with its audit event.
# Every write takes the audit chain's head, so all writes are serialised across the database.
# Only answers 2xx count as writes; the second case stops when its tasks run out.
#
#   bash bench/writes.sh                      # wrk -t2 -c16 -d10s
#   DURATION=5 CONNECTIONS=32 bash bench/writes.sh
#   PG_URL=postgres://user:pw@host:5432/db bash bench/writes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
PG_URL=${PG_URL:-postgres://guwen:guwen@127.0.0.1:5432/guwen_bench_writes}
PORT=18081
source bench/common.sh
need_wrk
fresh_database guwen_bench_writes

cargo build --release -q --bin guwen -p guwen-api
bin=$PWD/target/release
(cd "$work" && DATABASE_URL="$PG_URL" BIND_ADDR=127.0.0.1:$PORT JWT_SECRET=$SECRET \
  GUWEN_AUDIT_KEY=$AUDIT_KEY exec "$bin/guwen" serve >"$work/guwen.log" 2>&1) &
guwen=$!; pids+=("$guwen")
base=http://127.0.0.1:$PORT
wait_ready "$base/readyz"
token() { JWT_SECRET=$SECRET GUWEN_DATA_DIR=$work "$bin/guwen" token --ttl 3600 "$@"; }
government=$(token --role government --sub bench-government)
deadline=$(TZ=Asia/Shanghai date -d '+30 days' +%Y-%m-%d)

# wrk's successful (2xx/3xx) answers per second and its 99th percentile in ms.
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/writes.lua "$base")
  awk '
    /requests in/ {total=$1}
    /^Requests\/sec:/ {rate=$2}
    /Non-2xx or 3xx responses:/ {bad=$5}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f %d\n", (total > 0 ? rate*(total-bad)/total : 0), p99, bad}' <<<"$out"
}

commit=$(git rev-parse --short HEAD)
day=$(date -u +%Y-%m-%d)
if ! grep -q '^## Writes' bench/RESULTS.md; then
  cat >>bench/RESULTS.md <<'TABLE'

## Writes (`bash bench/writes.sh`)

`wrk -t2 -c16 -d10s` on loopback, release build, PostgreSQL on the same 2 cores, every write
with its audit event in one transaction on the audit chain's head. Writes/s counts 2xx answers.

| date | commit | case | connections | writes/s | p99 ms | refused |
|---|---|---|---|---|---|---|
TABLE
fi
row() { record "## Writes" "$(printf '| %s | %s | %s | %s | %s | %s | %s |' "$day" "$commit" "$@")"; }

read -r rps p99 bad < <(MODE=create TOKEN=$government DEADLINE=$deadline measure)
row "POST /tasks" "$CONNECTIONS" "$rps" "$p99" "$bad"

psql "$PG_URL" -Atc "SELECT id FROM tasks WHERE state = 'open' ORDER BY id" >"$work/ids"
read -r rps p99 bad < <(MODE=cancel TOKEN=$government IDS=$work/ids measure)
row "POST /tasks/{id}/cancellation ($(wc -l <"$work/ids") open tasks)" "$CONNECTIONS" "$rps" "$p99" "$bad"
echo "appended to bench/RESULTS.md"
