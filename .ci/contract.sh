#!/usr/bin/env bash
# The contract that clients generate from, checked with the real tools at pinned versions:
#   1. Spectral (spectral:oas + the OWASP API Security ruleset, .spectral.yaml): 0 errors;
#   2. the TypeScript client under clients/typescript: types regenerated from
#      openapi/openapi.json with openapi-typescript, then `tsc --noEmit` (strict);
#   3. schemathesis against a live `guwen serve` on embedded SQLite: no server error and no
#      response outside its schema (.ci/contract/schemathesis.toml).
# Each tool is installed under target/ci-tools on first use (npm ci, a Python venv) and reused
# while its pinned versions stay the same.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/target/ci-tools
mkdir -p "$tools"
step() { printf '\n--> %s\n' "$*"; }
started=$SECONDS

# npm_tools DIR SRC: `npm ci` SRC's package.json and package-lock.json into DIR, unless DIR
# already holds exactly that lock.
npm_tools() {
  local dir=$1 src=$2
  if ! cmp -s "$src/package-lock.json" "$dir/package-lock.json" || [ ! -d "$dir/node_modules" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  fi
}

step "install: Spectral, openapi-typescript and TypeScript (npm), schemathesis (venv)"
npm_tools "$tools/spectral" .ci/contract
npm_tools "$tools/ts-client" clients/typescript
stamp=$(cat .ci/contract/requirements.txt .ci/contract/constraints.txt | sha256sum | cut -c1-16)
if [ "$(cat "$tools/venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q --disable-pip-version-check \
    -r .ci/contract/requirements.txt -c .ci/contract/constraints.txt
  echo "$stamp" >"$tools/venv/.stamp"
fi
"$tools/spectral/node_modules/.bin/spectral" --version
"$tools/ts-client/node_modules/.bin/tsc" --version
"$tools/venv/bin/st" --version

step "Spectral: spectral:oas + OWASP API Security Top 10 (0 errors)"
NODE_PATH="$tools/spectral/node_modules" "$tools/spectral/node_modules/.bin/spectral" lint \
  openapi/openapi.json --ruleset .spectral.yaml --fail-severity error \
  --format text >"$tools/spectral.txt" || { cat "$tools/spectral.txt"; exit 1; }
echo "spectral: 0 errors ($(grep -c ' warning ' "$tools/spectral.txt" || true) warnings, in target/ci-tools/spectral.txt)"

step "TypeScript client: regenerate src/schema.d.ts, tsc --strict --noEmit"
"$tools/ts-client/node_modules/.bin/openapi-typescript" openapi/openapi.json \
  --output clients/typescript/src/schema.d.ts
"$tools/ts-client/node_modules/.bin/tsc" --project clients/typescript/tsconfig.json --noEmit
echo "typescript client type-checks"

step "schemathesis against a live server (embedded SQLite)"
cargo build -q --bin guwen
bin=$root/target/debug/guwen
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work" && BIND_ADDR="127.0.0.1:$port" GUWEN_PUBLIC_RATE_LIMIT=100000 RUST_LOG=warn \
  exec "$bin" serve >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null
token() { (cd "$work" && "$bin" token --sub "st-$1" --role "$@"); }

# Each operation is run once, with the first role the spec grants it in this order; the public
# ones without a token. Selection is read from the spec's security requirements.
plan=$("$tools/venv/bin/python" - <<'PY'
import json
order = ["hrss", "government", "department", "advisor", "finance", "integration", "auditor"]
spec = json.load(open("openapi/openapi.json"))
groups = {}
for path, item in spec["paths"].items():
    for method, op in item.items():
        scopes = [s for req in op.get("security", []) for s in req.get("bearer", [])]
        role = "public" if not scopes else next((r for r in order if r in scopes), scopes[0])
        groups.setdefault(role, []).append(f"{method.upper()} {path}")
for role, names in groups.items():
    print(role + "\t" + "\t".join(names))
PY
)
failed=0
reports=$tools/schemathesis
rm -rf "$reports" && mkdir -p "$reports"
while IFS=$'\t' read -r role names; do
  args=()
  IFS=$'\t' read -r -a ops <<<"$names"
  for op in "${ops[@]}"; do args+=(--include-name "$op"); done
  # The token goes through the spec's `bearer` scheme (see the config), so that the checks
  # that leave it out or spoil it know which header it is.
  case $role in
    public) GUWEN_ST_TOKEN="" ;;
    department) GUWEN_ST_TOKEN=$(token department --org-id commerce) ;;
    advisor) GUWEN_ST_TOKEN=$(token advisor --advisor-id 0190f3c4-0000-7000-8000-000000000000) ;;
    *) GUWEN_ST_TOKEN=$(token "$role") ;;
  esac
  export GUWEN_ST_TOKEN
  echo "== $role: ${#ops[@]} operations"
  if ! SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$root/.ci/contract" \
      "$tools/venv/bin/st" --config-file .ci/contract/schemathesis.toml run openapi/openapi.json \
      --url "http://127.0.0.1:$port" --checks all "${args[@]}" \
      --report junit --report-junit-path "$reports/$role.xml" --no-color \
      >"$reports/$role.txt" 2>&1; then
    failed=1
    sed -n '/FAILURES/,$p' "$reports/$role.txt" | head -200
  fi
  grep -E "^Test cases:|generated|passed|^=+ .* in " "$reports/$role.txt" | tail -2
done <<<"$plan"
if grep -q "panicked" "$work/serve.log"; then grep -B2 -A5 "panicked" "$work/serve.log" | head -40; failed=1; fi
kill $server 2>/dev/null || true; wait $server 2>/dev/null || true
trap - EXIT
rm -rf "$work"
if [ "$failed" -ne 0 ]; then
  echo "schemathesis found failures (reports in target/ci-tools/schemathesis)" >&2
  exit 1
fi
echo "schemathesis: no server error, no schema violation, no unexpected rejection"
echo "contract checks took $((SECONDS - started)) s"
