#!/usr/bin/env bash
# fgd against flexfit on the FGD paper's 17 traces, seeds 42-51, at 100% and 130% arrivals, as a
# markdown table (the one in docs/flexfit.md). Trace directory: $FLEX_TRACE_DIR, else
# ../shared/traces/alibaba-gpu-v2023 next to the repository. Usage: benchmarks/flexfit-table.sh [SEEDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${FLEX_TRACE_DIR:-$here/../shared/traces/alibaba-gpu-v2023}"
seeds="${1:-42-51}"
if [ ! -f "$dir/openb_node_list_gpu_node.csv" ]; then
  echo "flexfit-table: no trace in $dir (set FLEX_TRACE_DIR)" >&2
  exit 1
fi
traces="default cpu050 cpu100 cpu200 cpu250 gpushare40 gpushare60 gpushare80 gpushare100
  gpuspec10 gpuspec20 gpuspec25 gpuspec33 multigpu20 multigpu30 multigpu40 multigpu50"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for t in $traces; do
  "$here/flex" replay --nodes "$dir/openb_node_list_gpu_node.csv" --pods "$dir/openb_pod_list_$t.csv" \
    --policy fgd,flexfit --seeds "$seeds" --csv "$out/$t.csv" --quiet >/dev/null
done
echo "| trace | fgd 100% | flexfit 100% | Δ 100% | fgd 130% | flexfit 130% | Δ 130% |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for t in $traces; do
  awk -F, -v t="$t" '
    $3 == 100 || $3 == 130 { m[$1 "," $3] = $4 }
    END {
      printf "| %s | %.2f | %.2f | %+.2f | %.2f | %.2f | %+.2f |\n", t,
        m["fgd,100"], m["flexfit,100"], m["flexfit,100"] - m["fgd,100"],
        m["fgd,130"], m["flexfit,130"], m["flexfit,130"] - m["fgd,130"]
    }' "$out/$t.csv"
done
