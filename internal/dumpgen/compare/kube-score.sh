#!/usr/bin/env bash
# Measures `svcviz check` against kube-score v1.20.0 on the same generated 1,000-Service dump,
# alternating the two tools in one run so that machine load affects both alike. Prints each
# tool's median wall time and the ratio svcviz/kube-score (target: at most 0.25).
# Usage: internal/dumpgen/compare/kube-score.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

GOBIN="$work/bin" go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0
go build -o "$work/bin/svcviz" ./cmd/svcviz
go run ./internal/dumpgen/cmd/dumpgen -services 1000 > "$work/dump.yaml"

ms() { # run a command, print its wall time in milliseconds
  local t0 t1
  t0=$(date +%s%N)
  "$@" > /dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$work/svcviz.ms"; : > "$work/kube-score.ms"
for _ in $(seq "$rounds"); do
  ms "$work/bin/svcviz" check "$work/dump.yaml" >> "$work/svcviz.ms"
  ms "$work/bin/kube-score" score "$work/dump.yaml" >> "$work/kube-score.ms"
done
s=$(median < "$work/svcviz.ms"); k=$(median < "$work/kube-score.ms")
echo "dump: $(wc -c < "$work/dump.yaml") bytes, 1000 Services, 5000 Pods; $rounds alternating rounds"
echo "svcviz check:     median ${s} ms"
echo "kube-score score: median ${k} ms"
awk -v s="$s" -v k="$k" 'BEGIN {printf "ratio svcviz/kube-score: %.2f (target <= 0.25)\n", s/k}'
