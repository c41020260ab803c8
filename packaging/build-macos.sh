#!/usr/bin/env bash
# macOS .dmg with jpackage. NOT BUILT OR TESTED by this project (no macOS machine): run it on a Mac
# with a JDK 17+ (jpackage included) after `./mvnw -pl app -am package -DskipTests`, which puts the
# Mac's natives (macosx-x86_64 or macosx-arm64, chosen by the pom's profiles) into the explorer jar.
#   packaging/build-macos.sh                  -> target/packaging/Diffusion Explorer-<version>.dmg
#   KEEP_NATIVES_IN_JAR=1 packaging/build-macos.sh   fallback: natives stay in the jar and JavaCPP
#                                             copies them to ~/.javacpp/cache on first start
# The app is not signed or notarized: on first start, Control-click it and choose Open.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME="Diffusion Explorer"
JAR=app/target/diffusion-explorer.jar
OUT=target/packaging
POM_VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
# jpackage wants numbers only; if it refuses a version starting with 0 on macOS, set APP_VERSION=1.0.0.
VERSION=${APP_VERSION:-${POM_VERSION%%-*}}

[ -f "$JAR" ] || ./mvnw -q -pl app -am package -DskipTests
rm -rf "$OUT/input"; mkdir -p "$OUT/input/assets"
cp -r assets/datasets assets/models assets/plans "$OUT/input/assets/"
# The parallel collector, as on Linux (packaging/README.md, Start-up).
OPTS=(--java-options '-Ddiffusion.assets=$APPDIR/assets' --java-options '-XX:+UseParallelGC')
if [ "${KEEP_NATIVES_IN_JAR:-0}" = 1 ]; then
    cp "$JAR" "$OUT/input/"
else
    java packaging/NativeLayout.java "$JAR" "$OUT/input/diffusion-explorer.jar" "$OUT/input/natives"
    OPTS+=(--java-options '-Djava.library.path=$APPDIR/natives:/usr/lib'
           --java-options '-Dorg.bytedeco.javacpp.pathsFirst=true')
fi

jpackage --type dmg --dest "$OUT" \
    --name "$NAME" --app-version "$VERSION" \
    --vendor "Diffusion Explorer project" \
    --description "Watch an image diffusion model learn, from the inside" \
    --icon assets/icons/diffusion-explorer.icns \
    --mac-package-identifier org.diffusionexplorer.app \
    --input "$OUT/input" --main-jar diffusion-explorer.jar \
    --main-class org.diffusionexplorer.app.Launcher \
    "${OPTS[@]}"
ls -l "$OUT"/*.dmg
