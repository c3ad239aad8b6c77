#!/usr/bin/env bash
# Fuzzes skyshield's readers of untrusted files with AFL++ through cargo-afl (docs/fuzzing.md).
#   fuzz/run.sh TARGET SECONDS [OUT]   one target for SECONDS (0: until stopped), findings in
#                                      OUT (default target/fuzz/out/TARGET; kept across runs:
#                                      a second run resumes the first)
#   fuzz/run.sh smoke [SECONDS]        every target for SECONDS (default 20) each, from a fresh
#                                      output folder; fails when one finds a crash or a hang
# Targets: scenario (scenario text through parsing and validation), zones (a warning-zone
# GeoJSON file), summary (a run's summary.json). Needs cargo-afl and its AFL++ build
# (`cargo install cargo-afl --locked && cargo afl config --build`).
set -euo pipefail
cd "$(dirname "$0")"
targets=(scenario zones summary)
out_root=../target/fuzz/out

# The seed corpus of a target, gathered into target/fuzz/seeds/TARGET: the scenario library
# and the test fixtures for `scenario`, the files of fuzz/seeds/TARGET for the others.
seeds() {
    local dir=../target/fuzz/seeds/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$1" = scenario ]; then
        local f n=0
        for f in ../scenarios/*.yaml ../scenarios/examples/*.yaml ../tests/data/*.yaml \
            ../crates/cli/tests/fixtures/*.yaml; do
            n=$((n + 1))
            cp "$f" "$dir/$n-$(basename "$f")"
        done
    else
        cp "seeds/$1"/* "$dir"/
    fi
    echo "$dir"
}

# Runs one target for $2 seconds into $3; $4 is "fresh" to start over.
fuzz() {
    local target=$1 seconds=$2 out=$3 input
    input=$(seeds "$target")
    if [ "${4:-}" = fresh ]; then rm -rf "$out"; fi
    # Resume when a previous run left its queue (AFL++ reads `-i -` as "resume").
    if [ -d "$out/default/queue" ]; then input=-; fi
    mkdir -p "$out"
    local limit=()
    if [ "$seconds" -gt 0 ]; then limit=(-V "$seconds"); fi
    # -m: an input that makes the reader allocate more than 4 GiB is a finding; -t: so is one
    # that takes more than 2 s.
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        AFL_AUTORESUME=1 cargo afl fuzz -i "$input" -o "$out" -m 4096 -t 2000 "${limit[@]}" \
        "../target/fuzz/release/$target"
}

# The number of crashes and hangs that a run saved.
findings() {
    find "$1/default/crashes" "$1/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l
}

cargo afl build --release --locked
case "${1:-}" in
smoke)
    seconds=${2:-20}
    failed=0
    for target in "${targets[@]}"; do
        out=$out_root/smoke-$target
        fuzz "$target" "$seconds" "$out" fresh >"$out_root-smoke-$target.log" 2>&1 || {
            tail -20 "$out_root-smoke-$target.log" >&2
            exit 1
        }
        n=$(findings "$out")
        execs=$(sed -n 's/^execs_done *: //p' "$out/default/fuzzer_stats")
        echo "fuzz $target: ${seconds} s, $execs executions, $n crashes or hangs"
        if [ "$n" -ne 0 ]; then
            echo "  found in $out/default/crashes and hangs" >&2
            failed=1
        fi
    done
    exit $failed
    ;;
scenario | zones | summary)
    fuzz "$1" "${2:?seconds}" "${3:-$out_root/$1}"
    ;;
*)
    sed -n 2,10p "$0" >&2
    exit 2
    ;;
esac
