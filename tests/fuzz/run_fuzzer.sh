#!/bin/sh
# Runs the libFuzzer target for a bounded time over the committed corpus (read only)
# and a scratch corpus, then writes the figures (executions, coverage) to a summary
# file. Usage: run_fuzzer.sh FUZZER SECONDS SCRATCH CORPUS SUMMARY
set -eu
fuzzer=$1 seconds=$2 scratch=$3 corpus=$4 summary=$5
mkdir -p "$scratch"
log="$summary.log"
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$(dirname "$summary")/" "$scratch" "$corpus" >"$log" 2>&1 || status=$?
{
    grep -E "INFO: seed corpus|DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb" "$log" || true
} >"$summary"
cat "$summary"
if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    echo "the fuzzer failed (exit $status); the input is saved next to $summary" >&2
fi
exit "$status"
