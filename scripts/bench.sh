#!/usr/bin/env bash
# Benchmark: ecs16-evidence end to end against a single-threaded serde_json pass, jq and DuckDB on the same
# generated org-scale exports. Not a test; never run in CI. Prints a Markdown table for BENCHMARKS.md.
#
#   scripts/bench.sh                 # 1 GB comparison (5 runs each, alternating) + scale curve 0.25-2 GB
#   RUNS=7 SIZES="0.25 1" scripts/bench.sh
#
# Needs: jq and python3 with duckdb (`pip install duckdb`) for the comparisons (skipped with a message when
# missing), /usr/bin/time for peak memory. Data goes to $BENCH_DIR (default target/bench-data), made once.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"0.25 0.5 1 2"}
COMPARE_AT=${COMPARE_AT:-1}
DATA=${BENCH_DIR:-target/bench-data}
cargo build --release --quiet --bin ecs16-evidence --example gen_export --example serde_baseline
BIN=target/release/ecs16-evidence
mkdir -p "$DATA"

findings_for() { python3 -c "print(int(float('$1') * 250000))"; }
gen() { # size in GB
    local dir="$DATA/$1gb"
    if [ ! -f "$dir/expected.json" ]; then
        target/release/examples/gen_export --findings "$(findings_for "$1")" --out "$dir" --jsonl >&2
    fi
    echo "$dir"
}
# measure NAME CMD...: appends "name wall_s peak_kb" for one run
measure() {
    local name=$1; shift
    local tf
    tf=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>&1 || echo "# $name exited non-zero" >&2
    echo "$name $(tail -1 "$tf")" >> "$RESULTS"
    rm -f "$tf"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

JQ_PROG='[.Findings[] | select(.Compliance.SecurityControlId == "ECS.16")] | group_by([.AwsAccountId, .Compliance.Status]) | map({account: .[0].AwsAccountId, status: .[0].Compliance.Status, n: length}) | length'
have_jq=1; command -v jq >/dev/null || { have_jq=0; echo "jq not installed: skipped" >&2; }
have_duck=1; python3 -c "import duckdb" 2>/dev/null || { have_duck=0; echo "duckdb not installed (pip install duckdb): skipped" >&2; }

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# $(date -u +%Y-%m-%d), $RUNS runs each, alternating, warm page cache"
for size in $SIZES; do
    dir=$(gen "$size")
    page="$dir/get-findings.json"
    bytes=$(stat -c %s "$page")
    cat "$page" "$dir/findings.jsonl" > /dev/null  # warm the page cache
    RESULTS=$(mktemp)
    for run in $(seq "$RUNS"); do
        measure ecs16-evidence "$BIN" report "$page" "$dir/dumps" --out "$DATA/pack-$size" --force -q
        measure serde-baseline target/release/examples/serde_baseline "$page"
        if [ "$size" = "$COMPARE_AT" ]; then
            [ $have_jq = 1 ] && measure jq jq "$JQ_PROG" "$page"
            [ $have_duck = 1 ] && measure duckdb-page python3 scripts/duckdb_count.py "$page" page
            [ $have_duck = 1 ] && measure duckdb-jsonl python3 scripts/duckdb_count.py "$dir/findings.jsonl" jsonl
        fi
    done
    # Correctness: the pack's outcome counts are the generator's.
    python3 - "$dir/expected.json" "$DATA/pack-$size/summary.json" <<'PY'
import json, sys
e, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert e["outcomes"] == s["outcomes"], (e["outcomes"], s["outcomes"])
print(f"# {sys.argv[2]}: outcome counts match the generator's ({sum(e['outcomes'].values())} ECS.16 task sets)")
PY
    echo
    echo "## $size GB ($bytes bytes, $(python3 -c "import json;print(json.load(open('$dir/expected.json'))['findings'])") findings)"
    echo
    echo "| tool | median wall s | peak memory MB | runs |"
    echo "|---|---:|---:|---:|"
    for tool in ecs16-evidence serde-baseline jq duckdb-page duckdb-jsonl; do
        grep -q "^$tool " "$RESULTS" || continue
        wall=$(grep "^$tool " "$RESULTS" | awk '{print $2}' | median)
        mem=$(grep "^$tool " "$RESULTS" | awk '{print $3}' | median)
        n=$(grep -c "^$tool " "$RESULTS")
        printf "| %s | %.2f | %.0f | %d |\n" "$tool" "$wall" "$(echo "$mem / 1024" | bc -l)" "$n"
    done
    rm -f "$RESULTS"
done
