#!/usr/bin/env bash
# Benchmark: ecs16-evidence end to end against a single-threaded serde_json pass, jq and DuckDB on the same
# generated org-scale exports, and against the SHA-256 of the export alone (the floor under any pack, whose
# manifest must hold it). Not a test; never run in CI. Prints Markdown tables for BENCHMARKS.md.
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
cargo build --release --quiet --bin ecs16-evidence --example gen_export --example serde_baseline \
    --example sha256_floor
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
        measure serde-slice target/release/examples/serde_baseline "$page"
        measure sha256-floor target/release/examples/sha256_floor "$page"
        if [ "$size" = "$COMPARE_AT" ]; then
            measure serde-reader target/release/examples/serde_baseline "$page" --reader
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
    for tool in ecs16-evidence serde-slice serde-reader sha256-floor jq duckdb-page duckdb-jsonl; do
        grep -q "^$tool " "$RESULTS" || continue
        wall=$(grep "^$tool " "$RESULTS" | awk '{print $2}' | median)
        mem=$(grep "^$tool " "$RESULTS" | awk '{print $3}' | median)
        n=$(grep -c "^$tool " "$RESULTS")
        printf "| %s | %.2f | %.0f | %d |\n" "$tool" "$wall" "$(echo "$mem / 1024" | bc -l)" "$n"
        echo "$tool $wall" >> "$RESULTS.medians"
    done
    # Ratios against the targets of issue 6 (only for the tools that ran).
    python3 - "$RESULTS.medians" <<'PY'
import sys
m = dict(l.split() for l in open(sys.argv[1]))
m = {k: float(v) for k, v in m.items()}
e = m["ecs16-evidence"]
print()
print(f"- ecs16-evidence / serde-slice: {e / m['serde-slice']:.2f} (target at most 0.70)")
print(f"- ecs16-evidence / sha256-floor: {e / m['sha256-floor']:.2f} (1.00 is the best possible)")
if "duckdb-page" in m:
    print(f"- duckdb-page / ecs16-evidence: {m['duckdb-page'] / e:.1f} x faster (target at least 20)")
if "duckdb-jsonl" in m:
    print(f"- ecs16-evidence / duckdb-jsonl: {e / m['duckdb-jsonl']:.2f} (target at most 1.00)")
if "jq" in m:
    print(f"- jq / ecs16-evidence: {m['jq'] / e:.1f} x faster")
PY
    rm -f "$RESULTS" "$RESULTS.medians"
done

# Memory follows the ECS.16 findings, not the bytes: 2 GB holding as many ECS.16 findings as the 0.5 GB file
# (0.5 % instead of 2 %) should peak about where the 0.5 GB file does.
if [ "${MEMORY_CHECK:-1}" = 1 ]; then
    dir="$DATA/2gb-ecs16-0.5pct"
    if [ ! -f "$dir/expected.json" ]; then
        target/release/examples/gen_export --findings 500000 --ecs16-percent 0.5 --out "$dir" >&2
    fi
    small=$(gen 0.5)
    RESULTS=$(mktemp)
    for run in $(seq 3); do
        measure "0.5GB-2%" "$BIN" report "$small/get-findings.json" "$small/dumps" --out "$DATA/pack-mem-a" --force -q
        measure "2GB-0.5%" "$BIN" report "$dir/get-findings.json" "$dir/dumps" --out "$DATA/pack-mem-b" --force -q
    done
    echo
    echo "## Peak memory against bytes and against ECS.16 findings (3 runs each)"
    echo
    echo "| input | ECS.16 findings | median wall s | peak memory MB |"
    echo "|---|---:|---:|---:|"
    for name in "0.5GB-2%" "2GB-0.5%"; do
        d=$small; [ "$name" = "2GB-0.5%" ] && d=$dir
        n=$(python3 -c "import json;print(json.load(open('$d/expected.json'))['ecs16_findings'])")
        wall=$(grep "^$name " "$RESULTS" | awk '{print $2}' | median)
        mem=$(grep "^$name " "$RESULTS" | awk '{print $3}' | median)
        printf "| %s | %s | %.2f | %.0f |\n" "$name" "$n" "$wall" "$(echo "$mem / 1024" | bc -l)"
    done
    rm -f "$RESULTS"
fi
