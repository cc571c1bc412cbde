#!/usr/bin/env bash
# The reader's memory when another folio adds to its library while it is open.
# Usage: benches/reload_memory.sh HOME FOLIO MORE.jsonl
#   HOME holds data/ (a library, e.g. one of benches/archive.sh's homes); FOLIO is the binary;
#   MORE.jsonl the articles the other folio adds. Needs tmux.
# Opens the reader in tmux (120x40), waits for the whole library, notes its peak memory
# (VmHWM), runs `FOLIO add MORE.jsonl`, waits for "reloaded", notes the peak again.
set -euo pipefail
H=$1; BIN=$2; MORE=$3
export XDG_DATA_HOME=$H/data XDG_CONFIG_HOME=$H/config XDG_STATE_HOME=$H/state
S=folio-reload-memory
tmux kill-session -t $S 2>/dev/null || true
tmux new-session -d -s $S -x 120 -y 40 "$BIN"
sleep 1
P=$(tmux list-panes -t $S -F '#{pane_pid}')
for _ in $(seq 1 240); do
  tmux capture-pane -p -t $S | grep -q "library open" && break
  sleep 0.5
done
sleep 3
echo "open: $(grep VmHWM /proc/$P/status)"
t0=$(date +%s.%N)
"$BIN" add "$MORE" >/dev/null 2>&1
for _ in $(seq 1 480); do
  tmux capture-pane -p -t $S | grep -q "reloaded" && break
  sleep 0.25
done
t1=$(date +%s.%N)
sleep 3
echo "after the add: $(grep VmHWM /proc/$P/status); shown $(python3 -c "print(round($t1-$t0,1))") s after the add began"
tmux send-keys -t $S q
sleep 1
tmux kill-session -t $S 2>/dev/null || true
