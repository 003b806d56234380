#!/bin/sh
# floor.sh [ROUNDS] [REPS]: issue 13's figures in one run, so that the machine's load weighs on
# every side alike. Each round times, in turn, REPS runs of: `svcviz check -o json` on the
# 1,000-Service dump; the yaml.v3 node-parse floor on it (internal/dumpgen/cmd/yamlfloor); and
# `svcviz check -o json` on the 20,000-Service dump (once). The dumps hold the Node objects of
# clusters big enough for their Pods (25 and 500 nodes). CPU is user+sys from /usr/bin/time.
# Prints every round, then the medians: check/floor, CPU per Service at 20,000 over 1,000, and
# the peak RSS of check on both dumps over the input size.
set -eu
rounds=${1:-7}
reps=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/../../.."
go build -o "$dir/svcviz" ./cmd/svcviz
go build -o "$dir/yamlfloor" ./internal/dumpgen/cmd/yamlfloor
go run ./internal/dumpgen/cmd/dumpgen -services 1000 > "$dir/d1k.yaml"
go run ./internal/dumpgen/cmd/dumpgen -services 20000 > "$dir/d20k.yaml"
# the 20,000-Service cluster's 500 nodes need a pod network wider than svcviz's default /16
f20=$(go run ./internal/dumpgen/cmd/dumpgen -services 20000 -svcviz-flags)
s1=$(wc -c < "$dir/d1k.yaml"); s20=$(wc -c < "$dir/d20k.yaml")
echo "dumps: 1,000 Services $s1 bytes, 20,000 Services $s20 bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cpu() { # cpu OUT REPS CMD...: user+sys seconds and max RSS (KB) of REPS runs of CMD
	out=$1 n=$2; shift 2
	/usr/bin/time -f '%U %S %M' -o "$out" sh -c 'n=$1; shift; i=0; while [ "$i" -lt "$n" ]; do "$@" > /dev/null 2>&1 || true; i=$((i+1)); done' sh "$n" "$@"
	awk '{ printf "%.3f %d\n", $1+$2, $3 }' "$out"
}
i=0
while [ "$i" -lt "$rounds" ]; do
	c=$(cpu "$dir/t" "$reps" "$dir/svcviz" check -o json "$dir/d1k.yaml")
	f=$(cpu "$dir/t" "$reps" "$dir/yamlfloor" "$dir/d1k.yaml")
	# shellcheck disable=SC2086
	b=$(cpu "$dir/t" 1 "$dir/svcviz" check -o json $f20 "$dir/d20k.yaml")
	echo "$c $f $b" | awk -v r="$reps" '{ printf "check %.1f ms %d KB | floor %.1f ms | check/floor %.2f | 20k check %.0f ms %d KB | per Service 20k/1k %.2f\n",
		$1*1000/r, $2, $3*1000/r, $1/$3, $5*1000, $6, ($5/20000)/($1/r/1000) }' | tee -a "$dir/rounds"
	i=$((i + 1))
done
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "medians of $rounds rounds:"
echo "  check/floor (1,000 Services):         $(awk '{ print $12 }' "$dir/rounds" | med)"
echo "  CPU per Service, 20,000 over 1,000:   $(awk '{ print $NF }' "$dir/rounds" | med)"
echo "  peak RSS / input, 1,000 Services:     $(awk -v s="$s1" '{ printf "%.1f\n", $4*1024/s }' "$dir/rounds" | med)"
echo "  peak RSS / input, 20,000 Services:    $(awk -v s="$s20" '{ printf "%.1f\n", $(NF-6)*1024/s }' "$dir/rounds" | med)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
