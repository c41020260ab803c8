#!/usr/bin/env bash
# Soak test of training memory (issue 6): trains the tiny preset on the bundled MNIST for STEPS
# steps with the CLI jar and samples the process's resident memory (VmRSS from /proc/PID/status)
# every INTERVAL seconds together with the step it had reached. Prints the samples and the growth
# of resident memory from the first sample at or after WARMUP steps to the largest one after it.
#
#   model/scripts/soak.sh [STEPS=3000] [WARMUP=300] [INTERVAL=2] [MAX_SECONDS=0]
# MAX_SECONDS > 0 stops the run (SIGINT: it ends after the current step) after that long and
# reports the steps reached, for machines too busy to finish.
#   (from the repository root, after ./mvnw -o -pl model -am install -DskipTests)
# Environment: JAR (default model/target/diffusion-cli.jar), DIFFUSION_THREADS (default 1).
set -euo pipefail
STEPS=${1:-3000}
WARMUP=${2:-300}
INTERVAL=${3:-2}
MAX_SECONDS=${4:-0}
JAR=${JAR:-model/target/diffusion-cli.jar}
[ -f "$JAR" ] || { echo "no $JAR: build it with ./mvnw -o -pl model -am install -DskipTests" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export DIFFUSION_THREADS=${DIFFUSION_THREADS:-1}

java -jar "$JAR" train --preset tiny --data mnist --steps "$STEPS" --save-interval 500 --sample-interval 0 \
    --out "$WORK/run" --quiet > "$WORK/train.log" 2>&1 &
PID=$!
echo "soak: pid $PID, $STEPS steps of the tiny preset, RSS sampled every ${INTERVAL}s (step rss_kB)"
START=$SECONDS
while kill -0 "$PID" 2>/dev/null; do
    if [ "$MAX_SECONDS" -gt 0 ] && [ $((SECONDS - START)) -ge "$MAX_SECONDS" ]; then
        kill -INT "$PID"; wait "$PID" || true; break
    fi
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null || true)
    step=$(tail -n 1 "$WORK/run/metrics.csv" 2>/dev/null | cut -d, -f1 || true)
    case "$step" in ''|*[!0-9]*) step=0 ;; esac
    [ -n "$rss" ] && echo "$step $rss" | tee -a "$WORK/rss.txt"
    sleep "$INTERVAL"
done
if [ "$MAX_SECONDS" -eq 0 ] && ! wait "$PID"; then
    echo "soak: training failed:" >&2
    cat "$WORK/train.log" >&2
    exit 1
fi
tail -n 1 "$WORK/train.log"
awk -v warm="$WARMUP" '
    $1 >= warm && base == "" { base = $2; bstep = $1 }
    base != "" { if ($2 > max) { max = $2; mstep = $1 }; last = $2; lstep = $1 }
    END {
        if (base == "") { print "soak: no sample after the warm-up"; exit 1 }
        printf "soak: RSS %.0f MB at step %d (after warm-up), max %.0f MB at step %d, last %.0f MB at step %d: growth %.1f%% (max vs warm-up)\n",
            base / 1024, bstep, max / 1024, mstep, last / 1024, lstep, 100 * (max - base) / base
    }' "$WORK/rss.txt"
