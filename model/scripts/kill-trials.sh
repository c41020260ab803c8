#!/usr/bin/env bash
# kill -9 trials of a training run (issue 6): runs KillNineTrialsTest with N trials (default 10).
# Each trial starts `train` on the tiny preset in a child JVM, kills it with SIGKILL at a seeded
# random moment, checks the run folder still holds a loadable checkpoint, resumes it with
# `train --resume` and compares the final weights, EMA and AdamW state with an uninterrupted run
# of the same seed, bit for bit. The suite itself runs 2 trials.
#
#   model/scripts/kill-trials.sh [TRIALS=10] [SEED=6]      (from the repository root)
set -euo pipefail
TRIALS=${1:-10}
SEED=${2:-6}
./mvnw -o -B -pl model test -Dtest=KillNineTrialsTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dkill.trials="$TRIALS" -Dkill.seed="$SEED" | grep -E 'kill -9|Tests run|FAIL|ERROR'
