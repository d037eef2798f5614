#!/usr/bin/env bash
# Benchmark: ecs16-evidence on the three shapes organisations export, each against its floors and peers in
# the same run, runs alternating between tools (the machine's speed drifts: compare within a run, not across
# runs). Not a test; never run in CI. Prints Markdown for BENCHMARKS.md.
#
#   scripts/bench.sh                        # page, firehose, dense, memory; 5 runs each
#   RUNS=3 WORKLOADS="firehose dense" scripts/bench.sh
#   BEFORE=path/to/old/ecs16-evidence scripts/bench.sh   # also time an older build, alternating with this one
#
# Workloads (data made once by examples/gen_export.rs under $BENCH_DIR, default target/bench-data):
#   page      one 1 GB `get-findings` page (250,000 findings of about 4 KB, 2 % ECS.16): default jobs and
#             `-j 1`, against `openssl dgst -sha256` of the file and the single-threaded serde pass
#             (examples/serde_baseline.rs); the pack must be byte-identical for -j 1 and the default.
#   firehose  the same 250,000 findings as 2,000 gzip JSON Lines parts: against DuckDB reading the parts and
#             selecting ECS.16 (scripts/duckdb_count.py), `zcat` of all parts, and their SHA-256.
#   dense     100,000 task sets: 100,000 ECS.16 findings in 200 pages, 86,000 small dump files: against
#             `openssl dgst -sha256` over every input in one process, and `cat` of every input.
#   scale     the page at 0.25, 0.5 and 1 GB (SIZES): time against size, for linearity.
#   memory    issue 18 item 9: one ECS.16 finding with a 100 MB Note (gzipped), a million small ECS.16
#             findings, an unclosed `[` of 192 and 512 MiB: peak memory and pack size.
#
# Needs: openssl, jq (optional), python3 with duckdb (`pip install duckdb`; skipped with a message when
# missing), /usr/bin/time for peak memory (`%M`), GNU coreutils.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORKLOADS=${WORKLOADS:-"page firehose dense scale memory"}
SIZES=${SIZES:-"0.25 0.5 1"}
DATA=${BENCH_DIR:-target/bench-data}
BEFORE=${BEFORE:-}
cargo build --release --quiet --bin ecs16-evidence --example gen_export --example serde_baseline
BIN=target/release/ecs16-evidence
GEN=target/release/examples/gen_export
mkdir -p "$DATA"
CORES=$(nproc)

echo "# machine: $CORES cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if grep -q -m1 -o sha_ni /proc/cpuinfo; then
    echo "# SHA extensions: yes (sha_ni in /proc/cpuinfo)"
else
    echo "# SHA extensions: no (no sha_ni in /proc/cpuinfo)"
fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $RUNS runs each, alternating, warm page cache"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
have_duck=1
python3 -c "import duckdb" 2>/dev/null || { have_duck=0; echo "# duckdb not installed (pip install duckdb): skipped" >&2; }

# measure NAME CMD...: appends "name wall_s peak_kb" for one run to $RESULTS.
measure() {
    local name=$1; shift
    local tf
    tf=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>&1 || echo "# $name exited non-zero" >&2
    echo "$name $(tail -1 "$tf")" >> "$RESULTS"
    rm -f "$tf"
}
loadavg() { echo "- load average (1, 5, 15 min) after this workload: $(cut -d' ' -f1-3 /proc/loadavg)"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { grep "^$1 " "$RESULTS" | awk -v c="$2" '{print $c}' | median; }
# table TOOL...: a Markdown table of the tools' medians.
table() {
    echo
    echo "| tool | median wall s | median peak MB | runs |"
    echo "|---|---:|---:|---:|"
    for tool in "$@"; do
        grep -q "^$tool " "$RESULTS" || continue
        printf "| %s | %.2f | %.0f | %d |\n" "$tool" "$(col "$tool" 2)" "$(echo "$(col "$tool" 3) / 1024" | bc -l)" \
            "$(grep -c "^$tool " "$RESULTS")"
    done
    echo
}
# check DIR PACK: the pack's outcome counts are the generator's.
check() {
    python3 - "$1/expected.json" "$2/summary.json" <<'PY'
import json, sys
e, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if e["outcomes"] == s["outcomes"]:
    print(f"- {sys.argv[2]}: outcome counts match the generator's ({sum(e['outcomes'].values())} ECS.16 task sets)")
else:
    print(f"- {sys.argv[2]}: **outcome counts differ from the generator's**: {s['outcomes']} against {e['outcomes']}")
PY
}
# ratio NAME A B LIMIT: prints A/B against its limit, met or not.
ratio() {
    python3 -c "
a, b, limit = $2, $3, $4
r = a / b
print(f'- $1: {a:.2f} / {b:.2f} = {r:.2f} (target at most {limit}): ' + ('**met**' if r <= limit else '**not met**'))"
}
ecs_runs() { # LABEL ARGS...: this build, and the older one when BEFORE is set, alternating
    local label=$1; shift
    measure "$label" "$BIN" "$@"
    if [ -n "$BEFORE" ]; then measure "$label-before" "$BEFORE" "$@"; fi
}

page_data() {
    local dir="$DATA/1gb"
    if [ ! -f "$dir/expected.json" ]; then
        "$GEN" --findings 250000 --firehose-parts 2000 --out "$dir" >&2
    fi
    echo "$dir"
}

if [[ " $WORKLOADS " == *" page "* ]]; then
    dir=$(page_data)
    page="$dir/get-findings.json"
    cat "$page" > /dev/null
    RESULTS=$(mktemp)
    for _ in $(seq "$RUNS"); do
        ecs_runs ecs16-evidence report "$page" "$dir/dumps" --out "$DATA/pack-page" --force -q
        ecs_runs ecs16-evidence-j1 report "$page" "$dir/dumps" --out "$DATA/pack-page-j1" --force -q -j 1
        measure openssl-sha256 openssl dgst -sha256 "$page"
        measure serde-slice target/release/examples/serde_baseline "$page"
    done
    echo "## 1 GB page ($(stat -c %s "$page") bytes, 250,000 findings, 2 % ECS.16)"
    table ecs16-evidence ecs16-evidence-before ecs16-evidence-j1 ecs16-evidence-j1-before openssl-sha256 serde-slice
    check "$dir" "$DATA/pack-page"
    diff -r "$DATA/pack-page" "$DATA/pack-page-j1" > /dev/null && echo "- packs of -j 1 and -j $CORES: byte-identical (diff -r)"
    e=$(col ecs16-evidence 2); e1=$(col ecs16-evidence-j1 2); sha=$(col openssl-sha256 2); serde=$(col serde-slice 2)
    ratio "default jobs / max(SHA-256, serde ÷ $CORES cores)" "$e" "max($sha, $serde / $CORES)" 1.5
    ratio "-j 1 / (SHA-256 + serde)" "$e1" "$sha + $serde" 1.5
    python3 -c "m=$(col ecs16-evidence 3)/1024; print(f'- peak memory {m:.0f} MB (target at most 256): ' + ('**met**' if m <= 256 else '**not met**'))"
    rm -f "$RESULTS"
    loadavg
fi

if [[ " $WORKLOADS " == *" firehose "* ]]; then
    dir=$(page_data)
    parts="$dir/firehose"
    cat "$parts"/*.gz > /dev/null
    RESULTS=$(mktemp)
    for _ in $(seq "$RUNS"); do
        ecs_runs ecs16-evidence report "$parts" "$dir/dumps" --out "$DATA/pack-firehose" --force -q
        ecs_runs ecs16-evidence-j1 report "$parts" "$dir/dumps" --out "$DATA/pack-firehose-j1" --force -q -j 1
        [ $have_duck = 1 ] && measure duckdb python3 scripts/duckdb_count.py "$parts/*.gz" jsonl
        measure zcat sh -c "zcat '$parts'/*.gz > /dev/null"
        measure openssl-sha256 sh -c "openssl dgst -sha256 '$parts'/*.gz > /dev/null"
    done
    echo "## Firehose archive ($(ls "$parts" | wc -l) gzip JSON Lines parts, $(du -sb "$parts" | cut -f1) bytes; the same 250,000 findings)"
    table ecs16-evidence ecs16-evidence-before ecs16-evidence-j1 ecs16-evidence-j1-before duckdb zcat openssl-sha256
    check "$dir" "$DATA/pack-firehose"
    diff -r "$DATA/pack-firehose" "$DATA/pack-firehose-j1" > /dev/null && echo "- packs of -j 1 and -j $CORES: byte-identical (diff -r)"
    if grep -q "^duckdb " "$RESULTS"; then
        ratio "default jobs / DuckDB" "$(col ecs16-evidence 2)" "$(col duckdb 2)" 1.0
    fi
    rm -f "$RESULTS"
    loadavg
fi

if [[ " $WORKLOADS " == *" dense "* ]]; then
    dir="$DATA/dense"
    if [ ! -f "$dir/expected.json" ]; then
        "$GEN" --dense-task-sets 100000 --out "$dir" >&2
    fi
    # Every input, in one openssl process (the argument list is larger than the default stack allows).
    list=$(mktemp)
    (cd "$dir" && find findings dumps -type f | sort) > "$list"
    hash_all() { (ulimit -s 65536; cd "$dir" && xargs -a "$list" -s 6000000 openssl dgst -sha256 > /dev/null); }
    cat_all() { (ulimit -s 65536; cd "$dir" && xargs -a "$list" -s 6000000 cat > /dev/null); }
    export -f hash_all cat_all; export dir list
    cat_all
    RESULTS=$(mktemp)
    for _ in $(seq "$RUNS"); do
        ecs_runs ecs16-evidence report "$dir/findings" "$dir/dumps" --out "$DATA/pack-dense" --force -q
        measure openssl-sha256-all bash -c hash_all
        measure cat-all bash -c cat_all
    done
    echo "## Dense organisation (100,000 task sets; $(wc -l < "$list") files, $(du -sb "$dir" | cut -f1) bytes)"
    table ecs16-evidence ecs16-evidence-before openssl-sha256-all cat-all
    check "$dir" "$DATA/pack-dense"
    ratio "ecs16-evidence / SHA-256 of every input" "$(col ecs16-evidence 2)" "$(col openssl-sha256-all 2)" 5.0
    python3 -c "m=$(col ecs16-evidence 3)/1024; print(f'- peak memory {m:.0f} MB (target at most 512): ' + ('**met**' if m <= 512 else '**not met**'))"
    rm -f "$RESULTS" "$list"
    loadavg
fi

if [[ " $WORKLOADS " == *" scale "* ]]; then
    echo "## Scale: the page at several sizes"
    echo
    echo "| size | findings | ecs16-evidence s | MB | openssl SHA-256 s | × SHA-256 |"
    echo "|---|---:|---:|---:|---:|---:|"
    for size in $SIZES; do
        n=$(python3 -c "print(int(float('$size') * 250000))")
        dir="$DATA/scale-$size"
        [ "$size" = 1 ] && dir=$(page_data)
        if [ ! -f "$dir/expected.json" ]; then "$GEN" --findings "$n" --out "$dir" >&2; fi
        RESULTS=$(mktemp)
        for _ in $(seq "$RUNS"); do
            measure ecs16-evidence "$BIN" report "$dir/get-findings.json" "$dir/dumps" --out "$DATA/pack-scale" --force -q
            measure sha openssl dgst -sha256 "$dir/get-findings.json"
        done
        check "$dir" "$DATA/pack-scale" > /dev/null
        e=$(col ecs16-evidence 2); s=$(col sha 2)
        printf "| %s GB | %s | %.2f | %.0f | %.2f | %.2f |\n" "$size" "$n" "$e" "$(echo "$(col ecs16-evidence 3) / 1024" | bc -l)" "$s" "$(echo "$e / $s" | bc -l)"
        rm -f "$RESULTS"
    done
    echo
    loadavg
fi

if [[ " $WORKLOADS " == *" memory "* ]]; then
    dir="$DATA/memory"
    mkdir -p "$dir"
    python3 scripts/make_memory_cases.py "$dir" >&2
    echo "## Memory under hostile input (issue 18 item 9; peak RSS by /usr/bin/time %M, 3 runs)"
    echo
    echo "| case | input bytes | median wall s | median peak MB | pack bytes |"
    echo "|---|---:|---:|---:|---:|"
    for case in note-100mb million unclosed unclosed-512mb; do
        RESULTS=$(mktemp)
        for _ in 1 2 3; do
            measure "$case" "$BIN" report "$dir/$case" --out "$DATA/pack-mem-$case" --force -q --as-of 2026-09-30T00:00:00Z --skip-bad-inputs
        done
        pack=$(du -sb "$DATA/pack-mem-$case" 2>/dev/null | cut -f1 || echo 0)
        printf "| %s | %s | %.2f | %.0f | %s |\n" "$case" "$(du -sb "$dir/$case" | cut -f1)" "$(col "$case" 2)" \
            "$(echo "$(col "$case" 3) / 1024" | bc -l)" "${pack:-0}"
        rm -f "$RESULTS"
    done
    echo
    loadavg
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
