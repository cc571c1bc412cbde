#!/usr/bin/env bash
# The library as an archive: building it, adding to it, searching it and opening the reader
# on it, at 10,000, 100,000 and 1,000,000 articles, with the folio of before the archive
# (library.jsonl, everything in memory) side by side where it can run.
# Usage: benches/archive.sh [WORKDIR] [OLD_FOLIO]
#   WORKDIR (default /tmp/folio-archive) holds the corpora (the 1M one is 7 GB) and libraries;
#   OLD_FOLIO is a folio built from before the archive (e.g. commit bc29207), optional.
# Needs GNU time and python3 with pyte (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
W="${1:-/tmp/folio-archive}"
OLD="${2:-}"
mkdir -p "$W"
[ -x /usr/bin/time ] || (apt-get update -qq && apt-get install -y -qq time) >/dev/null 2>&1 || true
python3 -c 'import pyte' 2>/dev/null || pip install -q pyte >/dev/null 2>&1 || true
cargo build --release --example gen_corpus --bin folio >/dev/null 2>&1
BIN="$PWD/target/release/folio"
GEN=target/release/examples/gen_corpus
median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print("%.1f" % statistics.median(v))' "$@"; }
mb() { python3 -c "print(round($1/1024))"; }

for n in 10000 100000 1000000; do
  [ -f "$W/c$n.jsonl" ] || "$GEN" "$n" 42 "$W/c$n.jsonl"
done
# 1,000 articles none of the libraries has (other ids and links), three different files.
for k in 1 2 3; do
  if [ ! -f "$W/more$k.jsonl" ]; then
    "$GEN" 1000 "$((100 + k))" "$W/more$k.gen.jsonl"
    sed "s/\"gen-/\"more$k-/; s#example.com/a/#example.com/more$k/#" "$W/more$k.gen.jsonl" > "$W/more$k.jsonl"
  fi
done

home() { echo "$W/home-$1"; }
run() { # run HOME_NAME BIN ARGS... with that home
  local h; h=$(home "$1"); shift
  XDG_DATA_HOME="$h/data" XDG_CONFIG_HOME="$h/config" XDG_STATE_HOME="$h/state" "$@"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "== folio add of a whole corpus file into an empty library (wall, peak memory)"
for n in 10000 100000 1000000; do
  for which in new old; do
    b="$BIN"; [ "$which" = old ] && b="$OLD"
    [ -n "$b" ] || continue
    # The old folio rewrites library.jsonl whole and holds it in memory: not at 1M.
    [ "$which" = old ] && [ "$n" -gt 100000 ] && continue
    rm -rf "$(home "$which-$n")"
    run "$which-$n" /usr/bin/time -f "%e %M" "$b" add "$W/c$n.jsonl" 2>"$W/add.txt" >/dev/null
    read -r wall peak < <(tail -1 "$W/add.txt")
    echo "$which $n: ${wall} s, peak $(mb "$peak") MB"
  done
done

echo "== adding 1,000 articles to a library of N (three different files; median)"
for n in 10000 100000 1000000; do
  for which in new old; do
    b="$BIN"; [ "$which" = old ] && b="$OLD"
    [ -n "$b" ] && [ -d "$(home "$which-$n")" ] || continue
    walls=(); peaks=()
    for k in 1 2 3; do
      run "$which-$n" /usr/bin/time -f "%e %M" "$b" add "$W/more$k.jsonl" 2>"$W/add.txt" >/dev/null
      read -r wall peak < <(tail -1 "$W/add.txt")
      walls+=("$wall"); peaks+=("$peak")
    done
    echo "$which $n: median $(median "${walls[@]}") s (runs ${walls[*]}), peak $(mb "$(median "${peaks[@]}")") MB"
  done
done

echo "== queries on the library (folio list --timings; median of 3): words, a typo, a phrase, a punctuated word, fields"
QUERIES=(tencent tencnet regulators '"data security"' "u.s." "sector:crypto bitcoin" "date:2023 -china ev" "#ai" "entity:Alibaba")
for n in 100000 1000000; do
  for which in new old; do
    b="$BIN"; [ "$which" = old ] && b="$OLD"
    [ -n "$b" ] || continue
    if [ "$which" = old ]; then src=(--corpus "$W/c$n.jsonl"); else src=(); fi
    qs=("${QUERIES[@]}"); runs=(1 2 3)
    # The old folio reads the whole file for every query: at 1M, one query once.
    if [ "$which" = old ] && [ "$n" -gt 100000 ]; then qs=("${QUERIES[0]}"); runs=(1); fi
    printf '%s %s\n%-24s %10s %10s %10s %10s %10s %8s\n' "$which" "$n" query load_ms step_ms search_ms facets_ms total_ms peak_MB
    for q in "${qs[@]}"; do
      loads=(); steps=(); searches=(); facets=(); totals=(); peaks=()
      for _ in "${runs[@]}"; do
        run "new-$n" /usr/bin/time -f "%M" "$b" "${src[@]}" list --limit 20 --timings --query "$q" >/dev/null 2>"$W/q.txt"
        l=$(grep timings "$W/q.txt")
        loads+=("$(echo "$l" | grep -o 'load [0-9.]*' | cut -d' ' -f2)")
        s=$(echo "$l" | grep -o 'search+sort [0-9.]*' | cut -d' ' -f2)
        searches+=("$s")
        st=$(echo "$l" | grep -o 'step [0-9.]*' | cut -d' ' -f2 || true); steps+=("${st:-$s}")
        f=$(echo "$l" | grep -o 'facets [0-9.]*' | cut -d' ' -f2 || true); facets+=("${f:-0}")
        totals+=("$(echo "$l" | grep -o 'total [0-9.]*' | cut -d' ' -f2)")
        peaks+=("$(tail -1 "$W/q.txt")")
      done
      printf '%-24s %10s %10s %10s %10s %10s %8s\n' "$q" "$(median "${loads[@]}")" "$(median "${steps[@]}")" \
        "$(median "${searches[@]}")" "$(median "${facets[@]}")" "$(median "${totals[@]}")" "$(mb "$(median "${peaks[@]}")")"
    done
  done
done

echo "== the reader: first frame with the list, whole library loaded, peak memory (80x24; median of 3)"
for n in 100000 1000000; do
  for k in 1 2 3; do
    XDG_DATA_HOME="$(home "new-$n")/data" XDG_CONFIG_HOME="$(home "new-$n")/config" \
      python3 benches/library_frame.py "$BIN"
  done
done
