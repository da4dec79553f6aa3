#!/usr/bin/env bash
# Runs every bench target (`cargo bench --benches`) twice: with its temporary
# files on tmpfs (TMPDIR=/dev/shm) and on disk (a directory under the target
# directory, on the file system of the checkout), and prints both with the
# machine they ran on. Run from the workspace root:
#
#     bash benches/run.sh                   # everything (~10 minutes)
#     bash benches/run.sh fixture           # cases whose name contains "fixture"
#     FIXTREE_BENCH_ROUNDS=11 bash benches/run.sh
#
# Needs: cargo; /dev/shm (tmpfs) for the first half. The reports are also
# written to $CARGO_TARGET_DIR (else target/)/bench-results/{tmpfs,disk}.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
results=$target/bench-results
disk=$target/bench-tmp
mkdir -p "$results" "$disk"

fs_of() { df --output=fstype "$1" | tail -n 1; }

echo "# fixtree benchmarks"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores; kernel $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version)"
echo "- tmpfs: /dev/shm ($(fs_of /dev/shm)); disk: $disk ($(fs_of "$disk"))"
echo

# Built once, before the clock of any case starts.
cargo bench --benches --no-run --quiet

for where in tmpfs disk; do
    if [[ $where == tmpfs ]]; then dir=/dev/shm; else dir=$disk; fi
    echo "## $where: TMPDIR=$dir ($(fs_of "$dir"))"
    echo
    TMPDIR=$dir cargo bench --benches --quiet -- "$@" | tee "$results/$where.md"
    echo
done
rm -rf "$disk"

cat <<'EOF'
## Commands

```sh
TMPDIR=/dev/shm cargo bench --benches      # tmpfs
cargo bench --benches                      # disk (TMPDIR, else /tmp)
bash benches/run.sh                        # both, with the machine
bash benches/callgrind.sh                  # instructions per operation (valgrind)
bash benches/compile-time.sh               # clean build and rebuild times, per-crate weights
```
EOF
