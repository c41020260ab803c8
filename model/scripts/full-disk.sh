#!/usr/bin/env bash
# A real full disk while a checkpoint is written (issue 6). Needs root (it mounts a small tmpfs):
# trains the tiny preset into a 16 MB tmpfs with a checkpoint every 5 steps. A tiny checkpoint is
# ~11 MB and the next one is written beside it before the old one is removed, so the second save
# fails with ENOSPC. Expected: exit code 2, one line naming the step, "disk full" and the intact
# checkpoint of step 5, which then still loads (info) and resumes once there is space.
#
#   sudo model/scripts/full-disk.sh        (from the repository root; CLI="java -cp ..." to override the jar)
set -euo pipefail
CLI=${CLI:-java -jar model/target/diffusion-cli.jar}
export DIFFUSION_THREADS=${DIFFUSION_THREADS:-1}
MNT=$(mktemp -d)
mount -t tmpfs -o size=16m tmpfs "$MNT" || { echo "full-disk: cannot mount a tmpfs (needs root)" >&2; exit 2; }
trap 'umount "$MNT"; rmdir "$MNT"' EXIT
set +e
$CLI train --preset tiny --data mnist --steps 20 --save-interval 5 --sample-interval 0 --out "$MNT/run" --quiet 2> "$MNT/../full-disk.err"
code=$?
set -e
echo "train exit code: $code"
grep -v '^warning' "$MNT/../full-disk.err" || true
ls -l "$MNT/run/checkpoints"
$CLI info "$MNT/run" | grep -E '^(checkpoints|step)'
rm -f "$MNT/../full-disk.err"
