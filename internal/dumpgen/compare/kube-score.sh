#!/usr/bin/env bash
# Measures `svcviz check -o json` against kube-score v1.20.0 (`kube-score score`) on the same
# generated 1,000-Service dump: CPU time (user+sys) of REPS runs of each, alternating the two
# tools in one run so that machine load affects both alike. Prints every round, each tool's
# median and the ratio svcviz/kube-score (issue 13's target: at most 0.15).
# Usage: internal/dumpgen/compare/kube-score.sh [ROUNDS] [REPS]
# KUBE_SCORE=path uses a kube-score already built; otherwise it is built with go install.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-9}
reps=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ks=${KUBE_SCORE:-}
if [ -z "$ks" ]; then
  GOBIN="$work/bin" go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0
  ks="$work/bin/kube-score"
fi
go build -o "$work/svcviz" ./cmd/svcviz
go run ./internal/dumpgen/cmd/dumpgen -services 1000 > "$work/dump.yaml"
echo "dump: $(wc -c < "$work/dump.yaml") bytes, 1000 Services, 5000 Pods; load: $(cut -d' ' -f1-3 /proc/loadavg)"

cpu() { # cpu CMD...: user+sys milliseconds of REPS runs of CMD
  /usr/bin/time -f '%U %S' -o "$work/t" bash -c 'for _ in $(seq "$0"); do "$@" > /dev/null 2>&1 || true; done' "$reps" "$@"
  awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$work/t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$work/svcviz.ms"; : > "$work/kube-score.ms"
for _ in $(seq "$rounds"); do
  s=$(cpu "$work/svcviz" check -o json "$work/dump.yaml"); echo "$s" >> "$work/svcviz.ms"
  k=$(cpu "$ks" score "$work/dump.yaml"); echo "$k" >> "$work/kube-score.ms"
  awk -v s="$s" -v k="$k" -v r="$reps" 'BEGIN { printf "svcviz %d ms, kube-score %d ms, ratio %.3f\n", s/r, k/r, s/k }'
done
s=$(median < "$work/svcviz.ms"); k=$(median < "$work/kube-score.ms")
echo "medians of $rounds rounds, CPU per run: svcviz check -o json $((s / reps)) ms, kube-score score $((k / reps)) ms"
awk -v s="$s" -v k="$k" 'BEGIN {printf "ratio svcviz/kube-score: %.3f (target <= 0.15)\n", s/k}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
