# What the benchmark scripts share (sourced, not run): the test keys, a work directory and the
# processes to stop on exit, wrk, a fresh local PostgreSQL database, and waiting for readiness.
SECRET=bench-secret-0123456789abcdef0123456789abcdef
AUDIT_KEY=5b0c1e9f2a4d6c8e0f1a3b5d7c9e1f2a4b6d8c0e2f4a6b8d0c2e4f6a8b0d2c4e
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# wrk, from the OS packages if it is missing.
need_wrk() {
  command -v wrk >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  }
}

# A new, empty database NAME on the development machines' local PostgreSQL (see .ci/run), when
# PG_URL points there; a PG_URL elsewhere is used as it is.
fresh_database() {
  local name=$1
  if [[ "$PG_URL" == *127.0.0.1:5432/"$name" ]]; then
    PGVER=$(ls /etc/postgresql | sort -V | tail -1)
    pg_lsclusters | grep -q " main .*online" || pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    runuser -u postgres -- psql -qtc "SELECT 1 FROM pg_roles WHERE rolname='guwen'" | grep -q 1 \
      || runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "CREATE ROLE guwen LOGIN CREATEDB PASSWORD 'guwen'"
    runuser -u postgres -- psql -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $name OWNER guwen"
  fi
}

wait_ready() {
  for _ in $(seq 1 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "not ready: $1" >&2; return 1
}

# Appends a table row to bench/RESULTS.md under its own heading (the section whose heading line
# starts with HEADING), after the last row of that section's table, so that each benchmark's
# rows stay in its table whichever ran last. The row is echoed too.
#   record "## Reads" "| … |"
record() {
  local heading=$1 line=$2 file=bench/RESULTS.md
  echo "$line"
  awk -v heading="$heading" -v line="$line" '
    { lines[NR] = $0 }
    index($0, heading) == 1 { inside = 1; next }
    /^## / { inside = 0 }
    inside && /^\|/ { last = NR }
    END {
      for (i = 1; i <= NR; i++) { print lines[i]; if (i == last) print line }
      if (!last) print line
    }' "$file" >"$file.new" && mv "$file.new" "$file"
}
