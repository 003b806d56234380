#!/usr/bin/env bash
# firstframe.sh [ROUNDS]: wall time from starting `svcviz DUMP` in a 120x36 tmux pane to its first
# frame on screen (the status bar's "? help" appears), against the wall time of
# `svcviz check -o json DUMP`, on the 1,000-Service dump, alternating the two. Issue 13's target:
# the first frame within 2x of check.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-7}
work=$(mktemp -d)
session=svcviz-firstframe-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/svcviz" ./cmd/svcviz
go run ./internal/dumpgen/cmd/dumpgen -services 1000 > "$work/dump.yaml"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
now() { date +%s%N; }
: > "$work/tui.ms"; : > "$work/check.ms"
for _ in $(seq "$rounds"); do
  t0=$(now); "$work/svcviz" check -o json "$work/dump.yaml" > /dev/null || true; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/check.ms"
  t0=$(now)
  tmux new-session -d -s "$session" -x 120 -y 36 "$work/svcviz $work/dump.yaml"
  until tmux capture-pane -p -t "$session" 2>/dev/null | grep -q '? help'; do sleep 0.002; done
  t1=$(now)
  tmux kill-session -t "$session"
  echo $(( (t1 - t0) / 1000000 )) >> "$work/tui.ms"
  echo "check $(tail -1 "$work/check.ms") ms, first frame $(tail -1 "$work/tui.ms") ms"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(median < "$work/check.ms"); f=$(median < "$work/tui.ms")
echo "medians of $rounds rounds: check -o json $c ms, first frame $f ms, ratio $(awk -v c="$c" -v f="$f" 'BEGIN { printf "%.2f", f/c }') (target <= 2)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
