#!/usr/bin/env bash
# Builds KerasKit's fuzz targets (Fuzz/, libFuzzer + AddressSanitizer; Linux only) and runs each
# for a bounded time, then prints one line per target: executions, corpus size, crashes.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]
#
# Targets: FuzzNative FuzzNumpy FuzzConfig FuzzH5 FuzzKerasArchive (default: all, 180 s each).
# Corpora grow in .build-fuzz/fuzz/corpus/<target>; crashing inputs land in
# .build-fuzz/fuzz/artifacts/<target>/. Replay one with `.build-fuzz/debug/<target> FILE`.
# Seeds: Fuzz/Seeds/ plus the committed fixtures (.h5, .keras, .npy) under Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(uname -s)" != Linux ]]; then
    echo "fuzz.sh: libFuzzer (-sanitize=fuzzer) needs the Linux Swift toolchain" >&2
    exit 1
fi
scripts/ensure-deps

seconds=${1:-180}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(FuzzNative FuzzNumpy FuzzConfig FuzzH5 FuzzKerasArchive)
fi

scratch=.build-fuzz
work=$scratch/fuzz
# SwiftPM can keep a stale file list for the path dependency (the root package); rebuild it.
rm -f "$scratch/debug/description.json"
for target in "${targets[@]}"; do
    # One combined -sanitize flag last: swiftc keeps only the last of several (SwiftPM's
    # `--sanitize=fuzzer --sanitize=address` would drop the coverage instrumentation).
    swift build --package-path Fuzz --scratch-path "$scratch" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
        -Xcc -fsanitize=fuzzer-no-link,address --product "$target" 2>&1 | grep -vE "ld.gold: warning: Cannot export local symbol" || true
    [[ -x "$scratch/debug/$target" ]] || { echo "fuzz.sh: $target did not build" >&2; exit 1; }
done

# Seed directories per target (copies, so libFuzzer never writes into the repository).
seed() {
    local target=$1 dir=$work/seeds/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    case $target in
        FuzzNative) cp Fuzz/Seeds/native/* "$dir/" ;;
        FuzzConfig) cp Fuzz/Seeds/config/* "$dir/" ;;
        FuzzNumpy) find Fixtures -name '*.npy' | sort | head -200 | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
        FuzzH5) find Fixtures -name '*.h5' -size -256k | sort | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
        FuzzKerasArchive)
            cp Fuzz/Seeds/keras/* "$dir/"
            find Fixtures -name '*.keras' -size -256k | sort | head -100 | while read -r f; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done ;;
    esac
    echo "$dir"
}

summary=()
for target in "${targets[@]}"; do
    corpus=$work/corpus/$target
    artifacts=$work/artifacts/$target
    log=$work/$target.log
    mkdir -p "$corpus" "$artifacts"
    seeds=$(seed "$target")
    echo "== $target: $seconds s (log: $log)"
    # Leaks are not the question here (libhdf5 leaks on some error paths). Allocations that
    # fail return NULL (libhdf5 then reports an error), as they do without the sanitizer;
    # resident memory stays capped by -rss_limit_mb.
    status=0
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
        "$scratch/debug/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
        -malloc_limit_mb=1048576 -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" "$seeds" >"$log" 2>&1 || status=$?
    runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
    crashes=$(find "$artifacts" -type f | wc -l | tr -d ' ')
    line="$target: $runs executions in ${seconds} s, corpus $(find "$corpus" -type f | wc -l | tr -d ' ') inputs, $crashes crash artifact(s), exit $status"
    echo "$line"
    summary+=("$line")
done
echo
printf '%s\n' "${summary[@]}"
