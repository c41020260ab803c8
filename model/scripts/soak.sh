#!/usr/bin/env bash
# Soak test of training memory (issue 6): trains the tiny preset on the bundled MNIST for STEPS
# steps with the CLI jar and samples the process's resident memory (VmRSS from /proc/PID/status)
# every INTERVAL seconds together with the step it had reached. Prints the samples and the growth
# after WARMUP steps: the mean RSS of the last third of the samples against the first third (the GC
# makes RSS swing by a few hundred MB, so single samples say little), and the peak.
#
#   model/scripts/soak.sh [STEPS=3000] [WARMUP=300] [INTERVAL=2] [MAX_SECONDS=0]
# MAX_SECONDS > 0 stops the run (SIGTERM: it ends after the current step) after that long and
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
        kill -TERM "$PID"; wait "$PID" || true; break  # not INT: background jobs of a script ignore SIGINT
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
    $1 >= warm { n++; step[n] = $1; rss[n] = $2 }
    END {
        if (n < 3) { print "soak: fewer than 3 samples after the warm-up"; exit 1 }
        t = int(n / 3); max = rss[1]; mstep = step[1]
        for (i = 1; i <= n; i++) if (rss[i] > max) { max = rss[i]; mstep = step[i] }
        for (i = 1; i <= t; i++) { first += rss[i]; last += rss[n - t + i] }
        first /= t; last /= t
        printf "soak: %d samples from step %d to %d. RSS at step %d: %.0f MB, max %.0f MB at step %d (%+.1f%%).\n",
            n, step[1], step[n], step[1], rss[1] / 1024, max / 1024, mstep, 100 * (max - rss[1]) / rss[1]
        printf "soak: growth after warm-up (mean of the last third of the samples vs the first third): %.0f -> %.0f MB, %+.1f%%\n",
            first / 1024, last / 1024, 100 * (last - first) / first
    }' "$WORK/rss.txt"
