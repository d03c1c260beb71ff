#!/usr/bin/env bash
# make bench: every Go benchmark in the module (with a real Kafka started by
# deploy/kafka for those that measure through the broker), then the ingest dry-run path
# on generated reports measured with /usr/bin/time -v: throughput per core
# (bytes / CPU seconds) on a 1 GiB report and peak RSS on a 2 GiB one.
# Reports are written to LEDGERLINE_BENCH_DIR (default: a temporary folder,
# removed afterwards). BENCHTIME sets -benchtime (default 1s).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=${LEDGERLINE_BENCH_DIR:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d -t ledgerline-bench.XXXXXX)
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"
if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time" >&2
  (apt-get update -qq && apt-get install -y -qq time) >/dev/null
fi

echo "== go test -bench (benchtime ${BENCHTIME:-1s}) on $(nproc) cores, with a real broker for the benchmarks that need one"
bash deploy/kafka/with-broker.sh go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" ./... | grep -Ev '^(PASS|ok|\?)' || true

go build -o "$dir/ledgerline" ./cmd/ledgerline

# measure FILE LABEL: dry-run ingest under /usr/bin/time -v.
measure() {
  local file=$1 label=$2 bytes
  bytes=$(stat -c %s "$file")
  /usr/bin/time -v "$dir/ledgerline" ingest --dry-run --format json "$file" >"$dir/summary.json" 2>"$dir/time.txt"
  python3 - "$bytes" "$dir/time.txt" "$dir/summary.json" "$label" <<'PY'
import json, re, sys
size, timef, sumf, label = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
t = open(timef).read()
def grab(key):
    return re.search(re.escape(key) + r":\s*(.+)", t).group(1).strip()
user, sys_ = float(grab("User time (seconds)")), float(grab("System time (seconds)"))
wall = grab("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
rss = int(grab("Maximum resident set size (kbytes)"))
rows = json.loads(open(sumf).readline())["rows"]
cpu = user + sys_
mb = size / 1e6
print(f"{label}: {mb:.0f} MB, {rows} lines; wall {wall:.1f}s, cpu {cpu:.1f}s; "
      f"{mb / cpu:.0f} MB/s per core, {rows / cpu:,.0f} lines/s per core, "
      f"{mb / wall:.0f} MB/s wall; peak RSS {rss / 1024:.0f} MiB")
PY
}

echo "== ingest --dry-run on a generated 1 GiB report (per core = bytes / CPU seconds)"
"$dir/ledgerline" generate report --size 1GiB --seed 7 --out "$dir/report-1g.csv"
measure "$dir/report-1g.csv" "dry-run 1 GiB"
rm -f "$dir/report-1g.csv"

echo "== ingest --dry-run on a generated 2 GiB report (peak RSS, target < 200 MiB)"
"$dir/ledgerline" generate report --size 2GiB --seed 8 --out "$dir/report-2g.csv"
measure "$dir/report-2g.csv" "dry-run 2 GiB"
rm -f "$dir/report-2g.csv"
