#!/bin/sh
# Seeds @vscode/ripgrep's download cache with the system rg: code-server's install otherwise fetches it from GitHub.
set -eu
RG="$(command -v rg)" || { echo "seed-ripgrep: rg is not installed (apt-get install ripgrep)" >&2; exit 1; }
CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
# The asset name @vscode/ripgrep 1.15.11's postinstall looks for on this architecture.
case "$(uname -m)" in
  x86_64) TARGET=x86_64-unknown-linux-musl ;;
  aarch64) TARGET=aarch64-unknown-linux-musl ;;
  *) echo "seed-ripgrep: no known asset for $(uname -m)" >&2; exit 1 ;;
esac
ASSET="ripgrep-v13.0.0-10-$TARGET.tar.gz"
[ -s "$CACHE/$ASSET" ] && exit 0
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp "$RG" "$STAGE/rg"
mkdir -p "$CACHE"
tar czf "$CACHE/$ASSET.partial" -C "$STAGE" rg
mv "$CACHE/$ASSET.partial" "$CACHE/$ASSET"
