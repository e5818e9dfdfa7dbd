#!/bin/sh
# The page's check against the command's (benches/README.md, "jixiao serve"):
#
#   benches/serve.sh DIR [RUNS]
#
# DIR holds the forms (`cargo bench --bench merge -- 1000 --keep DIR` makes them). Times
# `jixiao check DIR --format json` (best of RUNS), then starts `jixiao serve --port 0` and
# POSTs the same files to /api/check in one multipart upload with curl, as the page does (best
# of RUNS), once more with ?preview=1, and prints the server's peak resident memory (VmHWM)
# and the largest of its worker processes' (they read the uploads).
# Uses target/release/jixiao: build it first (`cargo build --release`).
set -eu

dir=${1:?usage: benches/serve.sh DIR [RUNS]}
runs=${2:-3}
bin=${JIXIAO_BIN:-target/release/jixiao}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=

# The inputs as the page sends them: every form file, named by its path below DIR.
find "$dir" -type f \( -name '*.xlsx' -o -name '*.xlsm' -o -name '*.xls' -o -name '*.xlsb' \
    -o -name '*.ods' -o -name '*.csv' -o -name '*.json' \) | sort > "$work/files"
n=$(wc -l < "$work/files")
while IFS= read -r f; do
    printf 'form = "files=@%s;filename=%s"\n' "$f" "${f#"$dir"/}"
done < "$work/files" > "$work/curl.cfg"
size=$(cat "$work/files" | tr '\n' '\0' | xargs -0 du -cb | tail -1 | cut -f1)

best() { sort -n | head -1; }

i=0
while [ "$i" -lt "$runs" ]; do
    start=$(date +%s.%N)
    "$bin" check "$dir" --format json > "$work/cli.json" || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc
    i=$((i + 1))
done | best > "$work/cli.s"

"$bin" serve --port 0 > "$work/serve.out" 2> "$work/serve.err" &
pid=$!
url=
while [ -z "$url" ]; do
    sleep 0.1
    url=$(sed -n 's/^[^h]*\(http:[^ ]*\)$/\1/p' "$work/serve.out")
done

post() {
    curl -sS -o "$work/api.json" -w '%{http_code} %{time_total}\n' -K "$work/curl.cfg" "$1"
}
i=0
while [ "$i" -lt "$runs" ]; do
    post "${url}api/check" | awk '$1 != 200 { print "HTTP " $1 > "/dev/stderr"; exit 1 } { print $2 }'
    i=$((i + 1))
done | best > "$work/api.s"
forms=$(grep -o '"forms":[0-9]*' "$work/api.json" | head -1 | cut -d: -f2)
post "${url}api/check?preview=1" | awk '{ print $2 }' > "$work/preview.s"
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
# The worker processes that read the uploads (src/worker.rs): the largest one's peak.
whwm=0
for w in $(pgrep -P "$pid" || true); do
    k=$(awk '/VmHWM/ { print $2 }' "/proc/$w/status" 2>/dev/null || echo 0)
    [ "${k:-0}" -gt "$whwm" ] && whwm=$k
done

printf '%s files (%s MB), %s forms read by the API; best of %s runs\n' \
    "$n" "$(echo "scale=1; $size / 1048576" | bc)" "$forms" "$runs"
printf '| check s | /api/check s | ratio | /api/check?preview=1 s | server peak RSS | worker peak RSS |\n'
printf '|---|---|---|---|---|---|\n'
printf '| %.3f | %.3f | %.2f | %.3f | %d MB | %d MB |\n' "$(cat "$work/cli.s")" "$(cat "$work/api.s")" \
    "$(echo "scale=4; $(cat "$work/api.s") / $(cat "$work/cli.s")" | bc)" \
    "$(cat "$work/preview.s")" "$((hwm / 1024))" "$((whwm / 1024))"
