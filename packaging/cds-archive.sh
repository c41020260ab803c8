#!/usr/bin/env bash
# Class-data sharing (CDS) for the Linux app-image: at start the JVM maps the ~7,800 classes a start-up
# loads (JDK, JavaFX, ND4J, ours) from one archive instead of reading, parsing and verifying them from
# the jar, which leaves more of the two cores of a classroom laptop to the window and the model.
#
#   packaging/cds-archive.sh list IMAGE   starts the image once (under Xvfb when there is no display),
#                                          shows every pane (each is made when first shown) and waits
#                                          for its first denoising frame, and writes the classes it
#                                          loaded to IMAGE/lib/app/classes.lst
#   packaging/cds-archive.sh dump IMAGE   writes IMAGE/lib/app/explorer.jsa from that list (no display;
#                                          about 6 s and 60 MB)
#
# The launcher's cfg names $APPDIR/explorer.jsa (build-linux.sh); the JVM runs without it when the file
# is missing or does not fit. JDK 17 accepts an archive only at the very path it was made for, and
# none whose class path holds a space (so the image's folder has none): the .deb's postinst makes the
# archive again where the package is installed. Figures: packaging/README.md.
set -euo pipefail

usage() { echo "usage: $0 list|dump IMAGE" >&2; exit 2; }
[ $# = 2 ] || usage
STEP=$1
IMAGE=$(cd "$2" && pwd)
APPDIR="$IMAGE/lib/app"
LIST="$APPDIR/classes.lst"
case "$IMAGE" in *" "*) echo "cds-archive: $IMAGE has a space in its path; JDK 17 cannot share its classes" >&2; exit 1 ;; esac

case "$STEP" in
list)
    LAUNCHER=$(find "$IMAGE/bin" -maxdepth 1 -type f -perm -u+x | head -1)
    [ -n "$LAUNCHER" ] || { echo "cds-archive: no launcher in $IMAGE/bin" >&2; exit 1; }
    XPID=""; APID=""; HOME_DIR=$(mktemp -d); LOG="$HOME_DIR/app.log"
    cleanup() {
        [ -n "$APID" ] && kill "$APID" 2>/dev/null || true
        [ -n "$XPID" ] && kill "$XPID" 2>/dev/null || true
        rm -rf "$HOME_DIR"
    }
    trap cleanup EXIT
    if [ -z "${DISPLAY:-}" ]; then
        command -v Xvfb >/dev/null || { echo "cds-archive: no display and no Xvfb (apt-get install xvfb)" >&2; exit 1; }
        D=90
        while [ -e "/tmp/.X11-unix/X$D" ] || [ -e "/tmp/.X$D-lock" ]; do D=$((D + 1)); done
        Xvfb ":$D" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
        XPID=$!
        export DISPLAY=":$D"
        for _ in $(seq 60); do [ -e "/tmp/.X11-unix/X$D" ] && break; sleep 0.5; done
    fi
    rm -f "$LIST"
    # relative names: JAVA_TOOL_OPTIONS is split at spaces; an empty HOME and user.home (JDK 17 takes it
    # from the password file, not HOME): no user's settings
    (cd "$APPDIR" && HOME="$HOME_DIR" JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=classes.lst -Ddiffusion.startupLog=panes -Duser.home=$HOME_DIR" \
        "$LAUNCHER" >"$LOG" 2>&1) &
    APID=$!
    deadline=$(( $(date +%s) + ${CDS_TIMEOUT:-300} ))
    until grep -q "^first-denoise-frame " "$LOG" 2>/dev/null; do
        kill -0 "$APID" 2>/dev/null || { tail -5 "$LOG" >&2; echo "cds-archive: the app ended before its first denoising frame" >&2; exit 1; }
        [ "$(date +%s)" -lt "$deadline" ] || { echo "cds-archive: no denoising frame in time" >&2; exit 1; }
        sleep 0.5
    done
    kill "$APID"; wait "$APID" 2>/dev/null || true; APID=""
    echo "   $(wc -l <"$LIST") classes listed: $LIST"
    ;;
dump)
    [ -s "$LIST" ] || { echo "cds-archive: no class list at $LIST (run: $0 list IMAGE)" >&2; exit 1; }
    rm -f "$APPDIR/explorer.jsa"
    # the class path exactly as the launcher passes it: the archive is checked against it at every start;
    # the launcher's collector (JDK 17 maps archived heap objects for G1 only, so none are written)
    "$IMAGE/lib/runtime/bin/java" -XX:+UseParallelGC -Xshare:dump -XX:SharedClassListFile="$LIST" -XX:SharedArchiveFile="$APPDIR/explorer.jsa" \
        -cp "$APPDIR/diffusion-explorer.jar" >"$APPDIR/.cds-dump.log" 2>&1 \
        || { tail -5 "$APPDIR/.cds-dump.log" >&2; echo "cds-archive: the dump failed" >&2; exit 1; }
    rm -f "$APPDIR/.cds-dump.log"
    echo "   $(du -m "$APPDIR/explorer.jsa" | cut -f1) MB: $APPDIR/explorer.jsa"
    ;;
*) usage ;;
esac
