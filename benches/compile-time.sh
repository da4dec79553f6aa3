#!/usr/bin/env bash
# What fixtree costs at compile time, against the crates a test would use
# instead. Run from the workspace root:
#
#     bash benches/compile-time.sh            # all three parts
#     ROUNDS=5 bash benches/compile-time.sh   # more rounds (default 3; rebuilds: 5, or REBUILD_ROUNDS)
#     bash benches/compile-time.sh clean      # only part (a); rebuild: (b); weights: (c)
#
# Wall and CPU time are both shown: on a busy machine the wall time of a
# build mostly measures the other processes, the CPU time much less so.
#
# (a) clean debug build (`cargo test --no-run`) of a crate with one test,
#     written with fixtree (path dependency on this workspace), with rstest
#     (default features) + tempfile, and with assert_fs: each in a fresh
#     throw-away crate and a fresh target directory, rounds interleaved,
#     median wall time and ratio fixtree / anchor;
# (b) rebuild of one test file of 100 tests after touching it:
#     `#[with_tempdir]` + `assert_tree!` against tempfile + std::fs +
#     `assert_eq!`, both built once first, rounds interleaved;
# (c) `cargo test --no-run --timings` of the fixtree crate: the crates that
#     weigh most in its clean build.
#
# Needs: cargo (dependencies are downloaded once with `cargo fetch`, then
# every build is `--offline`), python3 (reads cargo's timing report).
# Throw-away crates live under $CARGO_TARGET_DIR (else target/)/compile-time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
[[ -f $root/Cargo.toml && -d $root/runtime ]] || {
    echo "compile-time.sh: cannot find the fixtree workspace above $0" >&2
    exit 1
}
target=${CARGO_TARGET_DIR:-$root/target}
work=$target/compile-time
rounds=${ROUNDS:-3}
parts=${1:-all}
# The builds are measured as a user makes them: no cache, no incremental
# settings of the caller's environment, no RUSTFLAGS.
unset RUSTC_WRAPPER CARGO_INCREMENTAL RUSTFLAGS CARGO_BUILD_JOBS CARGO_TARGET_DIR

echo "# fixtree compile time"
echo
echo "$(rustc --version); $(cargo --version); $(nproc) cores; $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Wall time and CPU time (user + system of the build and its children): on a busy machine"
echo "the wall time mostly measures the other processes, the CPU time much less so."
echo

# new_crate NAME DEV-DEPENDENCIES: an empty crate (its own workspace, so that
# cargo does not take it for a member of the one above it).
new_crate() {
    local dir=$work/$1
    rm -rf "$dir"
    mkdir -p "$dir/src" "$dir/tests"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "ct-$1"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
$2

[workspace]
EOF
    echo "// empty: the test is in tests/" >"$dir/src/lib.rs"
}

fixtree_dep="fixtree = { path = \"$root\" }"

# The one test, three ways: a file in, a file out, the directory checked.
one_test_crates() {
    new_crate fixtree "$fixtree_dep"
    cat >"$work/fixtree/tests/one.rs" <<'EOF'
use std::path::Path;

use fixtree::{assert_tree, with_tempdir};

#[with_tempdir(files = { "in/a.txt" => "hello" })]
fn copies(dir: &Path) {
    std::fs::copy(dir.join("in/a.txt"), dir.join("out.txt")).unwrap();
    assert_tree!(dir, { "in/a.txt" => "hello", "out.txt" => "hello" });
}
EOF
    new_crate rstest 'rstest = "0.26"
tempfile = "3"'
    cat >"$work/rstest/tests/one.rs" <<'EOF'
use std::fs;

use rstest::{fixture, rstest};
use tempfile::TempDir;

#[fixture]
fn dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/a.txt"), "hello").unwrap();
    dir
}

#[rstest]
fn copies(dir: TempDir) {
    let dir = dir.path();
    fs::copy(dir.join("in/a.txt"), dir.join("out.txt")).unwrap();
    assert_eq!(fs::read_to_string(dir.join("in/a.txt")).unwrap(), "hello");
    assert_eq!(fs::read_to_string(dir.join("out.txt")).unwrap(), "hello");
}
EOF
    new_crate assert_fs 'assert_fs = "1"'
    cat >"$work/assert_fs/tests/one.rs" <<'EOF'
use assert_fs::prelude::*;

#[test]
fn copies() {
    let dir = assert_fs::TempDir::new().unwrap();
    dir.child("in/a.txt").write_str("hello").unwrap();
    std::fs::copy(dir.child("in/a.txt").path(), dir.child("out.txt").path()).unwrap();
    dir.child("in/a.txt").assert("hello");
    dir.child("out.txt").assert("hello");
}
EOF
}

# The 100-test files: the same tests with fixtree and by hand.
hundred_test_crates() {
    new_crate many-fixtree "$fixtree_dep"
    new_crate many-tempfile 'tempfile = "3"'
    {
        echo "use std::path::Path;"
        echo
        echo "use fixtree::{assert_tree, with_tempdir};"
        for i in $(seq -w 0 99); do
            cat <<EOF

#[with_tempdir(files = { "in/a.txt" => "hello $i" })]
fn t$i(dir: &Path) {
    std::fs::write(dir.join("out.txt"), "$i").unwrap();
    assert_tree!(dir, { "in/a.txt" => "hello $i", "out.txt" => "$i" });
}
EOF
        done
    } >"$work/many-fixtree/tests/many.rs"
    {
        echo "use std::fs;"
        for i in $(seq -w 0 99); do
            cat <<EOF

#[test]
fn t$i() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    fs::create_dir(dir.join("in")).unwrap();
    fs::write(dir.join("in/a.txt"), "hello $i").unwrap();
    fs::write(dir.join("out.txt"), "$i").unwrap();
    assert_eq!(fs::read_to_string(dir.join("in/a.txt")).unwrap(), "hello $i");
    assert_eq!(fs::read_to_string(dir.join("out.txt")).unwrap(), "$i");
    let mut names: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["in", "out.txt"]);
}
EOF
        done
    } >"$work/many-tempfile/tests/many.rs"
}

# seconds CMD...: runs CMD quietly; prints its wall time and its CPU time
# (user + system, its child processes included) in seconds. The CPU time is
# the steadier of the two on a machine other processes share: it does not
# count the time spent waiting for a core.
seconds() {
    local TIMEFORMAT='%R %U %S' spent
    if ! spent=$({ time "$@" >"$work/last.log" 2>&1; } 2>&1); then
        echo "compile-time.sh: failed: $*" >&2
        tail -n 30 "$work/last.log" >&2
        exit 1
    fi
    awk '{ printf "%.2f %.2f", $1, $2 + $3 }' <<<"$spent"
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# prepare DIR: downloads what the crate needs (the only step that may use the
# network) and writes its lock file.
prepare() { (cd "$work/$1" && cargo fetch --quiet); }

build() { (cd "$work/$1" && cargo test --offline --no-run --quiet "${@:2}"); }

clean_build() {
    rm -rf "$work/$1/target"
    seconds build "$1"
}

# crates DIR: how many crates the clean build compiled.
crates() { (cd "$work/$1" && cargo tree --offline -e normal,build,dev --prefix none | sed 's/ (\*)$//' | sort -u | wc -l); }

# measure NAME...: runs `measure_one NAME` for each NAME, $rounds rounds,
# each round starting with another NAME; fills wall[NAME] and cpu[NAME].
declare -A wall cpu
measure() {
    local names=("$@") r i name w c
    for ((r = 0; r < $rounds; r++)); do
        for ((i = 0; i < ${#names[@]}; i++)); do
            name=${names[(r + i) % ${#names[@]}]}
            read -r w c <<<"$(measure_one "$name")"
            wall[$name]="${wall[$name]:-} $w"
            cpu[$name]="${cpu[$name]:-} $c"
        done
    done
}

# table REFERENCE NAME...: the medians of each NAME and REFERENCE / NAME.
table() {
    local reference=$1 name
    shift
    local rw rc
    rw=$(echo "${wall[$reference]}" | median)
    rc=$(echo "${cpu[$reference]}" | median)
    echo "| crate | crates built | wall (s), each round | median wall (s) | CPU (s), each round | median CPU (s) | $reference / this, wall | $reference / this, CPU |"
    echo "|---|---:|---|---:|---|---:|---:|---:|"
    for name in "$@"; do
        local mw mc
        mw=$(echo "${wall[$name]}" | median)
        mc=$(echo "${cpu[$name]}" | median)
        echo "| $name | $(crates "$name") |${wall[$name]} | $mw |${cpu[$name]} | $mc | $(ratio "$rw" "$mw") | $(ratio "$rc" "$mc") |"
    done
    echo
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

part_a() {
    echo "## (a) clean debug build of a one-test crate (cargo test --no-run), $rounds rounds interleaved"
    echo
    one_test_crates
    local name
    for name in fixtree rstest assert_fs; do prepare "$name"; done
    measure_one() { clean_build "$1"; }
    measure fixtree rstest assert_fs
    table fixtree fixtree rstest assert_fs
}

part_b() {
    # A rebuild takes seconds: more rounds for the same cost.
    local rounds=${REBUILD_ROUNDS:-$((rounds < 5 ? 5 : rounds))}
    echo "## (b) rebuild of a 100-test file after touching it (cargo test --no-run --test many), $rounds rounds interleaved"
    echo
    hundred_test_crates
    local name
    for name in many-fixtree many-tempfile; do
        prepare "$name"
        build "$name" >/dev/null
    done
    measure_one() {
        touch "$work/$1/tests/many.rs"
        seconds build "$1" --test many
    }
    measure many-fixtree many-tempfile
    echo "many-fixtree: 100 × #[with_tempdir] + assert_tree!; many-tempfile: 100 × tempfile + std::fs + assert_eq!"
    echo
    table many-fixtree many-fixtree many-tempfile
}

part_c() {
    echo "## (c) where the fixtree crate's clean build goes (cargo test --no-run --timings)"
    echo
    [[ -d $work/fixtree ]] || one_test_crates
    prepare fixtree
    rm -rf "$work/fixtree/target"
    local wall_cpu
    wall_cpu=$(seconds build fixtree --timings)
    local report=$work/fixtree/target/cargo-timings/cargo-timing.html
    echo "wall time ${wall_cpu% *} s, CPU time ${wall_cpu#* } s, $(nproc) jobs; load now $(cut -d' ' -f1-3 /proc/loadavg); report: $report"
    echo
    python3 - "$report" <<'EOF'
import json, re, sys

html = open(sys.argv[1], encoding="utf-8").read()
match = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if not match:
    sys.exit("compile-time.sh: no UNIT_DATA in " + sys.argv[1] + " (cargo's report changed)")
units = json.loads(match.group(1))
total = sum(u["duration"] for u in units)
by_crate = {}
for u in units:
    key = f'{u["name"]} {u["version"]}'
    crate = by_crate.setdefault(key, {"duration": 0.0, "units": [], "start": u["start"], "end": 0.0})
    crate["duration"] += u["duration"]
    crate["start"] = min(crate["start"], u["start"])
    crate["end"] = max(crate["end"], u["start"] + u["duration"])
    name = u.get("target", "").strip() or "lib"
    phases = dict(u.get("sections") or [])
    if phases:
        # rustc's own split: type checking etc. ("frontend") and LLVM ("codegen").
        name += " (" + ", ".join(f'{k} {v["end"] - v["start"]:.1f}' for k, v in phases.items()) + ")"
    crate["units"].append(name)
print("| crate | seconds (sum of its units) | share of all units | from–to (s since start) | units (phases in s) |")
print("|---|---:|---:|---|---|")
for key, crate in sorted(by_crate.items(), key=lambda kv: -kv[1]["duration"]):
    if crate["duration"] < 0.05:
        continue
    print(f'| {key} | {crate["duration"]:.2f} | {crate["duration"] / total * 100:.1f}% '
          f'| {crate["start"]:.1f}–{crate["end"]:.1f} | {"; ".join(crate["units"])} |')
print()
print(f"{len(units)} units in {len(by_crate)} crates, {total:.2f} s of unit time in all: each unit's "
      "own wall time, so units built side by side, or waiting for a core, count in full")
EOF
    echo
}

mkdir -p "$work"
case $parts in
all) part_a; part_b; part_c ;;
clean) part_a ;;
rebuild) part_b ;;
weights) part_c ;;
*) echo "usage: $0 [all|clean|rebuild|weights]" >&2; exit 2 ;;
esac
