#!/usr/bin/env bash
# Compares two implementations of PlacementBenchmark by running them side by side, one JVM pinned
# to each of two cores, swapping the cores every round (a crossover): on a shared host the speed
# of a run drifts by tens of percent over minutes, and JMH runs every fork of one parameter set
# before the next, so sequential runs compare the machine's moods more than the code. Run side
# by side, both see the same moments; swapping cancels what differs between the cores. Needs 2
# idle cores and taskset. Prints each round's scores and ratio, then the geometric mean of the
# ratios over the rounds and over each pair of rounds (one on each core assignment). BASE and OTHER
# are values of the benchmark parameter PARAM (default impl: two implementations).
#
#   [FORKS=n] [PARAM=name] benchmarks/paired.sh ROUNDS CLUSTER BASE OTHER [extra JMH options...]
#   FORKS=3 benchmarks/paired.sh 12 trace-1k engine facade -p policy=fgd -p fill=50
#   PARAM=policy benchmarks/paired.sh 6 synthetic-10k fgd flexfit -p impl=engine -p fill=50
set -euo pipefail
rounds=$1 cluster=$2 base=$3 other=$4
shift 4
jar="$(dirname "$0")/target/benchmarks.jar"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { # core value file [options...]
  local core=$1 value=$2 file=$3
  shift 3
  taskset -c "$core" java -Djmh.ignoreLock=true -jar "$jar" PlacementBenchmark -p cluster="$cluster" -p "${PARAM:-impl}=$value" \
    -f "${FORKS:-1}" -wi 3 -w 2s -i 3 -r 2s "$@" -rf csv -rff "$file" >"$file.log" 2>&1
}
score() { # The primary result: the first data row's Score column.
  awk -F, 'NR == 2 { print $5 }' "$1"
}
for i in $(seq 1 "$rounds"); do
  a_core=$(( (i + 1) % 2 )) b_core=$(( i % 2 ))
  run "$a_core" "$base" "$out/a.csv" "$@" &
  run "$b_core" "$other" "$out/b.csv" "$@"
  wait
  a=$(score "$out/a.csv") b=$(score "$out/b.csv")
  awk -v i="$i" -v a="$a" -v b="$b" -v ac="$a_core" -v bc="$b_core" -v base="$base" -v other="$other" \
    'BEGIN { printf "round %d: %s %.3f us/op (core %d), %s %.3f us/op (core %d), ratio %.3f\n", i, base, a, ac, other, b, bc, b / a }'
  echo "$a $b" >> "$out/scores"
done
awk -v base="$base" -v other="$other" '
  { l = log($2 / $1); sum += l; n++; if (n % 2 == 0) { p = exp((l + prev) / 2); pairs = pairs sprintf(" %.3f", p) } prev = l }
  END { printf "%s/%s over %d rounds: geometric mean %.3f; per pair of rounds:%s\n", other, base, n, exp(sum / n), pairs }' "$out/scores"
