#!/usr/bin/env bash
# Makes the execution-plan recordings shipped in assets/plans (exec.PlanStore): one SameDiff recording of
# the bundled default model's first denoising pass for each shard size a machine of 1, 2, 3-4, 5-8 or 9+
# cores uses for the Denoising pane's default 9 images (9, 5, 3, 2 and 1 rows). With them, opening the
# default model needs no SameDiff recording before its first pass (about 1 s of the explorer's start).
# Also one of the lesson preset's training step (batch 32) for each shard size on 1, 2 and 4 threads (32,
# 16 and 8 rows): a lesson run's first step then needs none either (about 3 s sooner); and the same
# model's pass for 16 images on 1, 2 and 4 threads (16, 8 and 4 rows), the lesson's sample grids (the
# lesson trains the bundled model's architecture, so the graphs are the same).
# Each recording was checked against SameDiff's own outputs when it was made; PlanStoreTest fails when a
# change to the graph leaves assets/plans without a recording for it. Run from anywhere after a build:
#
#   ./mvnw -q -pl model -am install -DskipTests && model/scripts/make-plan-recordings.sh
#
# Source: this project's own code and the bundled digits model (assets/models/digits); no licence beyond
# the project's applies.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=model/target/diffusion-cli.jar
[ -f "$JAR" ] || { echo "no $JAR: build first (./mvnw -q -pl model -am install -DskipTests)" >&2; exit 1; }
OUT=assets/plans
rm -f "$OUT"/*.json
mkdir -p "$OUT"
for threads in 1 2 3 5 9; do
    java -Ddiffusion.plans.write="$OUT" -Ddiffusion.threads=$threads -jar "$JAR" \
        sample --model digits --n 9 --steps 1 --out "$(mktemp -d)/samples.png" >/dev/null
done
for threads in 1 2 4; do
    java -Ddiffusion.plans.write="$OUT" -Ddiffusion.threads=$threads -jar "$JAR" \
        train --preset lesson --steps 1 --quiet --out "$(mktemp -d)/run" >/dev/null
    java -Ddiffusion.plans.write="$OUT" -Ddiffusion.threads=$threads -jar "$JAR" \
        sample --model digits --n 16 --steps 1 --out "$(mktemp -d)/samples.png" >/dev/null
done
chmod 644 "$OUT"/*.json
echo "$(ls "$OUT"/*.json | wc -l) recordings in $OUT ($(du -sh "$OUT" | cut -f1))"
