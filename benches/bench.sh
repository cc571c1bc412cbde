#!/usr/bin/env bash
# Whole-process figures at 100,000 articles, side by side with fzf in the same run.
# Installs what it needs when it can (apt-get: fzf hyperfine time; pip: pyte).
# Usage: benches/bench.sh [N] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
W="${2:-/tmp/folio-bench}"
mkdir -p "$W"
need() { command -v "$1" >/dev/null 2>&1; }
if ! need fzf || ! need hyperfine || [ ! -x /usr/bin/time ]; then
  (apt-get update -qq && apt-get install -y -qq fzf hyperfine time) >/dev/null 2>&1 || true
fi
python3 -c 'import pyte' 2>/dev/null || pip install -q pyte >/dev/null 2>&1 || true
cargo build --release --example gen_corpus --bin folio >/dev/null 2>&1
BIN=target/release/folio
[ -f "$W/c.json" ] || target/release/examples/gen_corpus "$N" 42 "$W/c.json"
[ -f "$W/c.jsonl" ] || target/release/examples/gen_corpus "$N" 42 "$W/c.jsonl"
"$BIN" --corpus "$W/c.jsonl" list --json | python3 -c 'import json,sys; [print(a["title"]) for a in json.load(sys.stdin)]' > "$W/titles.txt"
median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print("%.1f" % statistics.median(v))' "$@"; }

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== corpus: $N articles, c.json $(du -h "$W/c.json" | cut -f1), c.jsonl $(du -h "$W/c.jsonl" | cut -f1)"

echo "== opening (folio list --limit 1 --timings; GNU time for wall and peak memory), 5 runs each"
for f in c.json c.jsonl; do
  size=$(stat -c %s "$W/$f")
  loads=(); idx=(); walls=(); peaks=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" "$BIN" --corpus "$W/$f" list --limit 1 --timings >/dev/null 2>"$W/time.txt"
    loads+=("$(grep -o 'load [0-9.]*' "$W/time.txt" | cut -d' ' -f2)")
    idx+=("$(grep -o 'index [0-9.]*' "$W/time.txt" | cut -d' ' -f2)")
    walls+=("$(tail -1 "$W/time.txt" | cut -d' ' -f1)")
    peaks+=("$(tail -1 "$W/time.txt" | cut -d' ' -f2)")
  done
  pk=$(median "${peaks[@]}")
  echo "$f: load median $(median "${loads[@]}") ms (runs ${loads[*]}) · index $(median "${idx[@]}") ms · process $(median "${walls[@]}") s · peak $(python3 -c "print(round($pk/1024))") MB = $(python3 -c "print(round($pk*1024/$size, 2))")x the file"
done

echo "== first frames in a pseudo-terminal, 80x24 (loading screen, then the article list)"
for f in c.json c.jsonl; do python3 benches/first_frame.py "$BIN" "$W/$f" 5; done

echo "== titles/tags/entities step (folio --timings, median of 5) against fzf --filter on the same titles (hyperfine, median of 10), same run"
printf '%-20s %12s %12s %8s %14s\n' query folio_ms fzf_ms ratio full_ms
for q in t te ten tenc tence tencen tencent "tencent battery" metavrse "cloud" "bytedance"; do
  steps=(); fulls=()
  for _ in 1 2 3 4 5; do
    line=$("$BIN" --corpus "$W/c.jsonl" list --limit 1 --timings --query "$q" 2>&1 >/dev/null)
    full=$(echo "$line" | grep -o 'search+sort [0-9.]*' | cut -d' ' -f2)
    step=$(echo "$line" | grep -o 'step [0-9.]*' | cut -d' ' -f2 || true)
    fulls+=("$full"); steps+=("${step:-$full}")
  done
  hyperfine --warmup 1 --runs 10 --export-json "$W/fzf.json" "fzf --filter '$q' < $W/titles.txt" >/dev/null 2>&1
  fz=$(python3 -c "import json; print('%.1f' % (json.load(open('$W/fzf.json'))['results'][0]['median']*1000))")
  s=$(median "${steps[@]}")
  printf '%-20s %12s %12s %8s %14s\n' "$q" "$s" "$fz" "$(python3 -c "print('%.2f' % ($s/$fz))")" "$(median "${fulls[@]}")"
done

echo "== phrase over every body and a filter (folio --timings, median of 5)"
for q in '"digital yuan pilot"' '"battery plant"' "sector:auto date:2023"; do
  v=()
  for _ in 1 2 3 4 5; do
    v+=("$("$BIN" --corpus "$W/c.jsonl" list --limit 1 --timings --query "$q" 2>&1 >/dev/null | grep -o 'search+sort [0-9.]*' | cut -d' ' -f2)")
  done
  echo "$q: $(median "${v[@]}") ms"
done

echo "== typing in the reader while 100k results are computed (pseudo-terminal, pyte)"
python3 benches/keystroke.py "$BIN" "$W/c.jsonl" || echo "(needs pyte)"

echo "== the embedded corpus: folio list as a whole process"
hyperfine -N --warmup 3 --runs 30 --export-json "$W/embedded.json" "$BIN list" >/dev/null 2>&1
python3 -c "import json; r=json.load(open('$W/embedded.json'))['results'][0]; print('folio list (embedded): median %.1f ms' % (r['median']*1000))"
