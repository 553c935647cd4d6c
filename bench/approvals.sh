#!/usr/bin/env bash
# Benchmark: expense approvals per second across several `guwen` replicas on one PostgreSQL
# database (Art. 14's cap is checked by every one of them). Not a test: it asserts nothing
# about speed. It builds release binaries, runs the ignored scenario
# `funds_replicas::bench_approvals_across_replicas`, prints its JSON line and appends it, with
# the machine and commit, to bench/RESULTS.md.
#
#   bash bench/approvals.sh                 # 3 replicas, 3000 approvals
#   CLAIMS=6000 REPLICAS=3 bash bench/approvals.sh
#   PG_URL=postgres://user:pw@host:5432/db bash bench/approvals.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLAIMS=${CLAIMS:-3000}
REPLICAS=${REPLICAS:-3}
PG_URL=${PG_URL:-postgres://guwen:guwen@127.0.0.1:5432/guwen_bench}

source bench/common.sh
fresh_database guwen_bench

cargo build --release --bin guwen
line=$(GUWEN_BIN="$PWD/target/release/guwen" TEST_DATABASE_URL="$PG_URL" \
  GUWEN_BENCH_CLAIMS="$CLAIMS" GUWEN_BENCH_REPLICAS="$REPLICAS" \
  cargo test --release -q -p guwen-tests --test scenarios bench_approvals_across_replicas \
  -- --ignored --nocapture 2>/dev/null | grep approvals_per_second)
echo "$line"
record "## Runs" "$(printf '| %s | %s | %s cores | %s | `%s` |' \
  "$(date -u +%Y-%m-%d)" "$(git rev-parse --short HEAD)" "$(nproc)" \
  "PostgreSQL $(psql --version 2>/dev/null | awk '{print $3}')" "$line")"
echo "appended to bench/RESULTS.md"
