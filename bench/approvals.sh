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

if [[ "$PG_URL" == *127.0.0.1:5432/guwen_bench ]]; then
  # The local database of the development machines (see .ci/run): make sure it exists.
  PGVER=$(ls /etc/postgresql | sort -V | tail -1)
  pg_lsclusters | grep -q " main .*online" || pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  runuser -u postgres -- psql -qtc "SELECT 1 FROM pg_roles WHERE rolname='guwen'" | grep -q 1 \
    || runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "CREATE ROLE guwen LOGIN CREATEDB PASSWORD 'guwen'"
  runuser -u postgres -- psql -qc "DROP DATABASE IF EXISTS guwen_bench WITH (FORCE)"
  runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "CREATE DATABASE guwen_bench OWNER guwen"
fi

cargo build --release --bin guwen
line=$(GUWEN_BIN="$PWD/target/release/guwen" TEST_DATABASE_URL="$PG_URL" \
  GUWEN_BENCH_CLAIMS="$CLAIMS" GUWEN_BENCH_REPLICAS="$REPLICAS" \
  cargo test --release -q -p guwen-tests --test scenarios bench_approvals_across_replicas \
  -- --ignored --nocapture 2>/dev/null | grep approvals_per_second)
echo "$line"
{
  printf '| %s | %s | %s cores | %s | `%s` |\n' \
    "$(date -u +%Y-%m-%d)" "$(git rev-parse --short HEAD)" "$(nproc)" \
    "PostgreSQL $(psql --version 2>/dev/null | awk '{print $3}')" "$line"
} >> bench/RESULTS.md
echo "appended to bench/RESULTS.md"
