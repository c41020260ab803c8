#!/usr/bin/env bash
# Builds the Linux installers with jpackage (JDK 17+):
#   packaging/build-linux.sh            the app-image: target/packaging/diffusion-explorer/
#   packaging/build-linux.sh deb        the app-image, then a .deb made from it
#   REUSE_IMAGE=1 packaging/build-linux.sh deb    the .deb from the app-image already built
# The app-image gets a class-data-sharing archive (packaging/cds-archive.sh: needs a display or Xvfb;
# CDS=0 skips it). Input: app/target/diffusion-explorer.jar (built here when missing). Natives are unpacked once into
# the image (lib/app/natives) and loaded from there; see packaging/README.md for the layout and figures.
# The .deb needs fakeroot and dpkg-deb; packaging/linux holds jpackage's templates we override
# (control: adds libgtk-3-0 and xdg-utils; postinst: makes the menu folders xdg-desktop-menu needs).
set -euo pipefail
cd "$(dirname "$0")/.."

TYPE=${1:-app-image}
case "$TYPE" in app-image|deb) ;; *) echo "usage: $0 [app-image|deb]" >&2; exit 2 ;; esac

NAME="Diffusion Explorer"
JAR=app/target/diffusion-explorer.jar
OUT=target/packaging
# jpackage wants numbers only: 0.1.0-SNAPSHOT is packaged as 0.1.0.
POM_VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
VERSION=${APP_VERSION:-${POM_VERSION%%-*}}

if [ ! -f "$JAR" ]; then
    echo "== $JAR missing: building it"
    ./mvnw -q ${MVN_FLAGS:-} -pl app -am package -DskipTests
fi

# No space in the image's folder: JDK 17 shares no class from a class path with a space (cds-archive.sh).
IMAGE="$OUT/diffusion-explorer"
NATIVES="$IMAGE/lib/app/natives"
if [ "${REUSE_IMAGE:-0}" = 1 ] && [ -d "$IMAGE" ]; then
    echo "== reusing $IMAGE"
else
echo "== staging (version $VERSION from pom.xml's $POM_VERSION)"
rm -rf "$OUT/input" "$OUT/$NAME" "$IMAGE"
mkdir -p "$OUT/input/assets"
# The explorer jar without natives, and the natives once, flat, beside it.
java packaging/NativeLayout.java "$JAR" "$OUT/input/diffusion-explorer.jar" "$OUT/input/natives"
# The bundled datasets and models (and their licences); the scripts that made them stay in the repo.
cp -r assets/datasets assets/models assets/plans "$OUT/input/assets/"

echo "== jpackage app-image"
t0=$(date +%s)
# $APPDIR is expanded by the launcher at start: the image's lib/app folder, wherever it is installed.
# java.library.path keeps the JDK's default folders after ours. Start-up on two cores (packaging/README.md):
# explorer.jsa is the class-data-sharing archive made below; CompileThresholdScaling=4 lets the JIT
# compile later, leaving the cores to the window and the model preload (the first denoising frame came
# 0.2-0.4 s sooner in alternated starts; training steps measured the same); the parallel collector
# instead of G1 collects once by the first denoising frame where G1 paused five times (that frame 0.2 s
# sooner, training the same; packaging/README.md); transparent huge pages for the Java heap (Linux only:
# the JVM asks for them by madvise, which this VM grants) spare tens of thousands of page faults at
# about 10 us each (first denoising frame 0.2-0.5 s sooner); the runtime keeps bin/java, which jlink's
# --generate-cds-archive needs to archive the JDK's own classes.
jpackage --type app-image --dest "$OUT" \
    --name "$NAME" --app-version "$VERSION" \
    --vendor "Diffusion Explorer project" \
    --description "Watch an image diffusion model learn, from the inside" \
    --icon assets/icons/diffusion-explorer.png \
    --input "$OUT/input" --main-jar diffusion-explorer.jar \
    --main-class org.diffusionexplorer.app.Launcher \
    --java-options '-Ddiffusion.assets=$APPDIR/assets' \
    --java-options '-Djava.library.path=$APPDIR/natives:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib' \
    --java-options '-Dorg.bytedeco.javacpp.pathsFirst=true' \
    --java-options '-XX:SharedArchiveFile=$APPDIR/explorer.jsa' \
    --java-options '-XX:CompileThresholdScaling=4' \
    --java-options '-XX:+UseParallelGC' \
    --java-options '-XX:+UseTransparentHugePages' \
    --jlink-options '--strip-debug --no-man-pages --no-header-files --generate-cds-archive'
mv "$OUT/$NAME" "$IMAGE"
# JavaCPP's second name for OpenBLAS stays a link, not a second 31 MB copy, whatever jpackage did with it.
if [ -f "$NATIVES/libopenblas_nolapack.so.0" ] && [ ! -L "$NATIVES/libopenblas_nolapack.so.0" ]; then
    ln -sf libopenblas.so.0 "$NATIVES/libopenblas_nolapack.so.0"
fi
echo "   $(( $(date +%s) - t0 )) s; $(du -sm "$IMAGE" | cut -f1) MB: $IMAGE"
if [ "${CDS:-1}" = 1 ]; then
    echo "== class-data sharing archive"
    if ! { packaging/cds-archive.sh list "$IMAGE" && packaging/cds-archive.sh dump "$IMAGE"; }; then
        echo "   none made: the image starts without it (slower)" >&2
    fi
fi
fi

if [ "$TYPE" = deb ]; then
    echo "== jpackage deb"
    t0=$(date +%s)
    rm -f "$OUT"/*.deb
    # gzip: xz took over 5 minutes for the 400 MB of natives, gzip about half a minute.
    DPKG_DEB_COMPRESSOR_TYPE=gzip jpackage --type deb --dest "$OUT" \
        --app-image "$IMAGE" \
        --name "$NAME" --app-version "$VERSION" \
        --vendor "Diffusion Explorer project" \
        --description "Watch an image diffusion model learn, from the inside" \
        --icon assets/icons/diffusion-explorer.png \
        --linux-package-name diffusion-explorer \
        --linux-deb-maintainer "diffusion-explorer@example.invalid" \
        --linux-menu-group "Education;Science" \
        --linux-app-category science \
        --linux-shortcut \
        --resource-dir packaging/linux
    ls -l "$OUT"/*.deb
    echo "   $(( $(date +%s) - t0 )) s"
fi
