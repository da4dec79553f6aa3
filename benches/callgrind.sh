#!/usr/bin/env bash
# Instructions per operation of fixtree and its anchors, counted by
# `valgrind --tool=callgrind`: stable under load, where wall times are not.
# Run from the workspace root:
#
#     bash benches/callgrind.sh                       # all cases (a few minutes)
#     bash benches/callgrind.sh fixture               # cases whose name contains "fixture"
#     LIFECYCLE_OPS=500 TREE_OPS=5 bash benches/callgrind.sh
#
# Each candidate of each case runs in a process of its own under callgrind
# (the bench binaries' `--count` mode), twice: warm-up + N operations, and
# warm-up alone; instructions per operation = the difference / N, so start-up,
# the case's set-up and first-use costs cancel out. Only the operation is
# counted (`--toggle-collect` on the harness's `timed`): not the untimed
# set-up of each operation (the empty directory a tree is written into).
# Callgrind counts user-space instructions: a system call counts as the few
# instructions that make it, not the kernel's work. So the system calls per
# operation are counted too, with `strace -f -c` (same difference), for the
# cases whose whole operation is timed (for the others, the untimed set-up
# would be in the count).
#
# Needs: valgrind (callgrind), strace (optional: without it no system-call
# column), cargo. Temporary files go to $TMPDIR (default /tmp).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v valgrind >/dev/null || {
    echo "callgrind.sh needs valgrind (apt-get install valgrind)" >&2
    exit 1
}
lifecycle_ops=${LIFECYCLE_OPS:-200}
tree_ops=${TREE_OPS:-3}
filter=${1:-}
out=$(mktemp -d "${TMPDIR:-/tmp}/fixtree-callgrind.XXXXXX")
trap 'rm -rf "$out"' EXIT

# bench_binary NAME: builds the bench target NAME (bench profile) and prints
# the path of its executable.
bench_binary() {
    cargo bench --quiet --no-run --bench "$1" --message-format=json |
        grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -n 1
}

declare -A bins
for bench in tempfiles fixture trees; do
    bins[$bench]=$(bench_binary "$bench")
done

# instructions BIN CASE CANDIDATE OPS: instructions counted inside `timed`.
instructions() {
    local file=$out/callgrind.out
    valgrind --tool=callgrind --callgrind-out-file="$file" \
        --toggle-collect='*harness::timed*' \
        "$1" --count="$4" --candidate="$3" "$2" >"$out/stdout" 2>"$out/stderr" || {
        echo "callgrind.sh: failed: $1 --count=$4 --candidate='$3' '$2'" >&2
        tail -n 20 "$out/stderr" >&2
        exit 1
    }
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

# syscalls BIN CASE CANDIDATE OPS: system calls made by the whole process.
syscalls() {
    strace -f -c -o "$out/strace" "$1" --count="$4" --candidate="$3" "$2" >/dev/null
    awk '$NF == "total" { print $4 }' "$out/strace"
}

per_op() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f", (a - b) / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }
group() { printf "%'d" "$1" 2>/dev/null || echo "$1"; }

echo "# Instructions per operation (valgrind --tool=callgrind)"
echo
echo "$(valgrind --version); $(rustc --version); TMPDIR=${TMPDIR:-/tmp}; lifecycle cases $lifecycle_ops ops, tree cases $tree_ops ops"
echo
echo "| case | candidate | instructions/op | ratio to anchor | ratio to floor | system calls/op |"
echo "|---|---|---:|---:|---:|---:|"

# case BENCH OPS SYSCALLS(yes|no) NAME
case_() {
    local bin=${bins[$1]} ops=$2 count_syscalls=$3 name=$4
    [[ -z $filter || $name == *"$filter"* ]] || return 0
    local roles=() names=() counts=() calls=() role cand
    while IFS=$'\t' read -r role cand; do
        roles+=("$role")
        names+=("$cand")
    done < <("$bin" --candidates "$name")
    [[ ${#names[@]} -gt 0 ]] || {
        echo "callgrind.sh: no case named '$name' in $bin" >&2
        exit 1
    }
    local i base full
    for i in "${!names[@]}"; do
        base=$(instructions "$bin" "$name" "${names[i]}" 0)
        full=$(instructions "$bin" "$name" "${names[i]}" "$ops")
        counts+=("$(per_op "$full" "$base" "$ops")")
        if [[ $count_syscalls == yes ]] && command -v strace >/dev/null; then
            base=$(syscalls "$bin" "$name" "${names[i]}" 0)
            full=$(syscalls "$bin" "$name" "${names[i]}" "$ops")
            calls+=("$(awk -v a="$full" -v b="$base" -v n="$ops" 'BEGIN { printf "%.1f", (a - b) / n }')")
        else
            calls+=("")
        fi
    done
    local floor=""
    for i in "${!names[@]}"; do
        [[ ${roles[i]} == floor ]] && floor=${counts[i]}
    done
    for i in "${!names[@]}"; do
        local label=${names[i]}
        [[ ${roles[i]} == candidate ]] || label="$label (${roles[i]})"
        echo "| $name | $label | $(group "${counts[i]}") | $(ratio "${counts[i]}" "${counts[0]}") | ${floor:+$(ratio "${counts[i]}" "$floor")} | ${calls[i]} |"
    done
}

case_ tempfiles "$lifecycle_ops" yes "TempDir create+drop (empty)"
case_ tempfiles "$lifecycle_ops" yes "NamedTempFile create+drop"
case_ fixture "$lifecycle_ops" yes "fixture, empty: create, lock, hand over, remove"
case_ fixture "$lifecycle_ops" yes "fixture, 3 files in 2 directories"
case_ trees "$tree_ops" no "write tree, 1000 files"
case_ trees "$tree_ops" no "compare 2 equal dirs, 1000 files"
case_ trees "$tree_ops" no "remove tree, 1000 files"

echo
echo "Counted: the operation only (inside the harness's timed part), user-space instructions,"
echo "warm-up excluded; system calls: whole process, difference of runs with and without the N operations."
