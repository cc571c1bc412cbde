#!/usr/bin/env bash
# Whole-process figures at 100,000 articles, side by side with fzf in the same run.
# Needs hyperfine and fzf (apt-get install hyperfine fzf) and GNU time (/usr/bin/time).
# Usage: benches/bench.sh [N] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
W="${2:-/tmp/folio-bench}"
mkdir -p "$W"
cargo build --release --example gen_corpus --bin folio >/dev/null 2>&1
BIN=target/release/folio
[ -f "$W/c.json" ] || target/release/examples/gen_corpus "$N" 42 "$W/c.json"
[ -f "$W/c.jsonl" ] || target/release/examples/gen_corpus "$N" 42 "$W/c.jsonl"
"$BIN" --corpus "$W/c.jsonl" list --json | python3 -c 'import json,sys; [print(a["title"]) for a in json.load(sys.stdin)]' > "$W/titles.txt"
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); corpus $(du -h "$W/c.json" | cut -f1) ($N articles)"

echo "== opening: load + index, peak memory (GNU time)"
for f in c.json c.jsonl; do
  size=$(stat -c %s "$W/$f")
  /usr/bin/time -f "%e s wall, %M KB peak" "$BIN" --corpus "$W/$f" list --limit 1 --timings >/dev/null 2>"$W/time.txt" || true
  peak=$(grep -o '[0-9]* KB peak' "$W/time.txt" | cut -d' ' -f1)
  echo "$f: $(grep timings "$W/time.txt" | sed 's/^timings: //') | $(tail -1 "$W/time.txt") | peak/file = $(python3 -c "print(round($peak*1024/$size, 2))")"
done

echo "== search inside one process (--timings, titles/tags/entities step and full)"
for q in t te ten tenc tence tencen tencent "tencent battery" metavrse '"digital yuan pilot"' "sector:auto date:2023"; do
  printf '%-22s ' "$q"
  "$BIN" --corpus "$W/c.jsonl" list --limit 1 --timings --query "$q" 2>&1 >/dev/null | sed 's/^timings: load [0-9.]* ms · index [0-9.]* ms · //'
done

echo "== fzf --filter over the same titles (whole process), median of runs"
for q in t tencent metavrse; do
  hyperfine -N --warmup 1 --runs 10 --export-json "$W/fzf-$q.json" "fzf --filter $q < $W/titles.txt" >/dev/null 2>&1 || \
  hyperfine --warmup 1 --runs 10 --export-json "$W/fzf-$q.json" "fzf --filter $q < $W/titles.txt" >/dev/null
  python3 -c "import json; r=json.load(open('$W/fzf-$q.json'))['results'][0]; print('fzf --filter $q: median %.1f ms' % (r['median']*1000))"
done

echo "== the embedded corpus: folio list as a whole process"
hyperfine -N --warmup 3 --runs 30 --export-json "$W/embedded.json" "$BIN list" >/dev/null 2>&1
python3 -c "import json; r=json.load(open('$W/embedded.json'))['results'][0]; print('folio list (embedded): median %.1f ms' % (r['median']*1000))"
