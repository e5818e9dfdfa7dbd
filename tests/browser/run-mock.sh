#!/usr/bin/env bash
# Runs e2e.mjs against mock_server.py, the way the Rust integration test runs it against the real
# `jixiao serve`: one folder with the repository's fixtures and the XSS form, the expectation
# computed for that folder, the consolidated workbook saved under target/browser-mock/.
# Usage: bash tests/browser/run-mock.sh   (from anywhere; needs python3, node, chromium, npm ci)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/target/browser-mock"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/fixtures" "$out"
cp -R "$repo/tests/fixtures/." "$work/fixtures/"
cp "$here/fixtures/xss-department.csv" "$work/fixtures/"
python3 "$here/mock_server.py" --report "$work/fixtures" > "$work/expect.json"

python3 "$here/mock_server.py" --port 0 > "$work/mock.log" 2>&1 &
mock_pid=$!
url=""
for _ in $(seq 1 50); do
  url="$(sed -n 's/^listening on //p' "$work/mock.log")"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "mock server did not start:"; cat "$work/mock.log"; exit 1; }

node "$here/e2e.mjs" "$url" "$work/fixtures" --expect "$work/expect.json" \
  --merged "$out/merged.xlsx" --shots "$out" "$@"
node "$here/edges.mjs" --shots "$repo/target/browser-edges"
