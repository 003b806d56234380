#!/bin/sh
# floor.sh ROUNDS SERVICES: CPU time (user+sys) and peak RSS of `svcviz check -o json` against the
# yaml.v3 node-parse floor (internal/dumpgen/cmd/yamlfloor) on the same dump, in alternating
# pairs, so that the machine's load weighs on both alike. Prints every pair and the medians.
set -eu
rounds=${1:-11}
services=${2:-1000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$(dirname "$0")/../../.."
go build -o "$dir/svcviz" ./cmd/svcviz
go build -o "$dir/yamlfloor" ./internal/dumpgen/cmd/yamlfloor
go run ./internal/dumpgen/cmd/dumpgen -services "$services" > "$dir/dump.yaml"
size=$(wc -c < "$dir/dump.yaml")
echo "dump: $services Services, $size bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$rounds" ]; do
	/usr/bin/time -f '%U %S %M' -o "$dir/t1" "$dir/svcviz" check -o json "$dir/dump.yaml" > /dev/null || true
	/usr/bin/time -f '%U %S %M' -o "$dir/t2" "$dir/yamlfloor" "$dir/dump.yaml" > /dev/null
	awk -v a="$(cat "$dir/t1")" -v b="$(cat "$dir/t2")" 'BEGIN { split(a, x, " "); split(b, y, " ");
		printf "check %.2f s %d KB   floor %.2f s %d KB   ratio %.2f\n", x[1]+x[2], x[3], y[1]+y[2], y[3], (x[1]+x[2])/(y[1]+y[2]) }' | tee -a "$dir/pairs"
	i=$((i + 1))
done
sort -n -k12 "$dir/pairs" | awk -v n="$rounds" 'NR == int((n+1)/2) { printf "median ratio %s (check %s s, floor %s s)\n", $12, $2, $7 }'
sort -n -k4 "$dir/pairs" | awk -v n="$rounds" -v size="$size" 'NR == n { printf "peak RSS of check: %d KB = %.1f x the input\n", $4, $4*1024/size }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
