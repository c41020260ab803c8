#!/usr/bin/env bash
# Packaging smoke test. Builds the Linux app-image (packaging/build-linux.sh), starts it under Xvfb with
# an empty HOME, waits for the main window and for the first denoising frame (the app samples on its own
# with -Ddiffusion.startupLog=denoise), takes a screenshot, closes the app (SIGTERM) and checks that no
# more than the one known per-user native copy was written. Exits non-zero on any failure and prints the figures it measured.
#
#   packaging/smoke-test.sh                 build the image, then test it
#   packaging/smoke-test.sh --no-build      test the image already in target/packaging
#   packaging/smoke-test.sh --app /opt/diffusion-explorer/bin/Diffusion\ Explorer   test an installed copy
#
# Needs Xvfb (xvfb), xwininfo (x11-utils) and import (imagemagick). SMOKE_TIMEOUT (s, default 300)
# bounds each wait. Output: target/packaging/smoke/{app.log,screenshot.png}.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=1
APP="target/packaging/diffusion-explorer/bin/Diffusion Explorer"
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --app) APP="$2"; BUILD=0; shift ;;
        *) echo "usage: $0 [--no-build] [--app LAUNCHER]" >&2; exit 2 ;;
    esac
    shift
done
TIMEOUT=${SMOKE_TIMEOUT:-300}
OUT=target/packaging/smoke

fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
for tool in Xvfb xwininfo import; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install xvfb x11-utils imagemagick)"
done

if [ "$BUILD" = 1 ]; then
    packaging/build-linux.sh app-image
fi
[ -x "$APP" ] || fail "no launcher at $APP"

rm -rf "$OUT"; mkdir -p "$OUT"
LOG="$OUT/app.log"
FAKE_HOME=$(mktemp -d)
XPID=""; APID=""
cleanup() {
    [ -n "$APID" ] && kill "$APID" 2>/dev/null || true
    [ -n "$XPID" ] && kill "$XPID" 2>/dev/null || true
    rm -rf "$FAKE_HOME"
}
trap cleanup EXIT

# A display nobody uses.
D=99
while [ -e "/tmp/.X11-unix/X$D" ] || [ -e "/tmp/.X$D-lock" ]; do D=$((D + 1)); done
Xvfb ":$D" -screen 0 1400x900x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XPID=$!
for _ in $(seq 120); do xwininfo -root -display ":$D" >/dev/null 2>&1 && break; sleep 0.5; done
xwininfo -root -display ":$D" >/dev/null 2>&1 || fail "Xvfb did not start on :$D (see $OUT/xvfb.log)"
export DISPLAY=":$D"

echo "== starting $APP (HOME=$FAKE_HOME, display :$D)"
start=$(date +%s%N)
# user.home too: JDK 17 on Linux takes it from the password file, not HOME, so without it the app read
# (and a first start would write) the settings of whoever runs this test
HOME="$FAKE_HOME" DIFFUSION_THREADS=${DIFFUSION_THREADS:-1} JAVA_TOOL_OPTIONS="-Ddiffusion.startupLog=denoise -Duser.home=$FAKE_HOME" \
    "$APP" >"$LOG" 2>&1 &
APID=$!

# Waits until the log has a line starting with $1; fails if the app ends first or the time runs out.
await() {
    local deadline=$(( $(date +%s) + TIMEOUT ))
    while ! grep -q "^$1 " "$LOG"; do
        kill -0 "$APID" 2>/dev/null || { tail -20 "$LOG" >&2; fail "the app ended before '$1'"; }
        [ "$(date +%s)" -lt "$deadline" ] || { tail -20 "$LOG" >&2; fail "no '$1' within ${TIMEOUT}s"; }
        sleep 0.5
    done
    grep "^$1 " "$LOG" | head -1 | cut -d' ' -f2
}

FIRST_FRAME=$(await first-frame)
xwininfo -root -tree | grep -q '"Diffusion Explorer"' || fail "no window titled 'Diffusion Explorer'"
echo "   main window is up: first-frame ${FIRST_FRAME} ms after JVM start"
FIRST_DENOISE=$(await first-denoise-frame)
echo "   first denoising frame: ${FIRST_DENOISE} ms after JVM start"
sleep 2 # a few more frames, for the screenshot
import -window root "$OUT/screenshot.png" || fail "screenshot failed"
if grep -q "Exception\|UnsatisfiedLinkError" "$LOG"; then
    grep -m5 "Exception\|UnsatisfiedLinkError" "$LOG" >&2
    fail "the log has exceptions (see $LOG)"
fi

echo "== closing"
kill -TERM "$APID"
for _ in $(seq 60); do kill -0 "$APID" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$APID" 2>/dev/null; then fail "the app did not exit within 30 s of SIGTERM"; fi
set +e; wait "$APID"; code=$?; set -e
APID=""
# 143 = ended by SIGTERM, as asked
[ "$code" = 0 ] || [ "$code" = 143 ] || fail "exit code $code"
wall=$(( ($(date +%s%N) - start) / 1000000 ))

# The native layout's point: the 400 MB of natives are not copied per user. One file is: OpenBLAS's presets
# load libopenblas.so.0 under a second name (openblas@.0#openblas_nolapack@.0), and JavaCPP renames by copying
# into ~/.javacpp/cache/natives (30 MB, beside symbolic links to the image); more than 40 MB is a regression.
cache_kb=$(du -sk "$FAKE_HOME" | cut -f1)
echo "== per-user files after the run ($cache_kb KB in HOME):"
(cd "$FAKE_HOME" && find . -mindepth 1 | head -20 | sed 's/^/   /')
# (absent folders count as 0 KB; du fails on them, which pipefail must not turn into a failure)
jcp_kb=$( { du -sk "$FAKE_HOME/.javacpp" 2>/dev/null || true; } | cut -f1); jcp_kb=${jcp_kb:-0}
fx_kb=$( { du -sk "$FAKE_HOME/.openjfx" 2>/dev/null || true; } | cut -f1); fx_kb=${fx_kb:-0}
[ "$jcp_kb" -lt 40960 ] || fail "~/.javacpp holds ${jcp_kb} KB: natives were copied per user (one 30 MB OpenBLAS copy is known)"
[ "$fx_kb" -lt 1024 ] || fail "~/.openjfx holds ${fx_kb} KB: JavaFX natives were copied per user"

echo "SMOKE TEST PASSED: first-frame ${FIRST_FRAME} ms, first-denoise-frame ${FIRST_DENOISE} ms," \
     "~/.javacpp ${jcp_kb} KB, ~/.openjfx ${fx_kb} KB, ${wall} ms from launch to exit; screenshot $OUT/screenshot.png"
