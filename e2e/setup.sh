#!/usr/bin/env bash
# Installs what the end-to-end tests need (`npm run e2e:setup`): Chromium, Neovim, ripgrep and the Kerberos headers from
# apt (when root; otherwise it says what to install), then code-server 4.100.3 from e2e/code-server's lockfile, unless
# CODE_SERVER_BIN names an install to share (another checkout's).
# Idempotent: a second run checks and returns in a second.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v nvim >/dev/null || missing+=(neovim)
command -v rg >/dev/null || missing+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)   # code-server's kerberos module compiles against it
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "e2e setup: apt-get install ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    echo "e2e setup: install these first (as root): apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ -n "${CODE_SERVER_BIN:-}" ]; then
  # Another checkout's install, shared (the tests read the same variable): nothing to install here.
  [ -x "$CODE_SERVER_BIN" ] || { echo "e2e setup: CODE_SERVER_BIN=$CODE_SERVER_BIN is not an executable" >&2; exit 1; }
  echo "e2e setup: using CODE_SERVER_BIN=$CODE_SERVER_BIN"
  exit 0
fi

wanted="$(node -p 'require("./code-server/package.json").dependencies["code-server"]')"
installed="$(node -p 'try { require("./code-server/node_modules/code-server/package.json").version } catch { "" }')"
if [ "$installed" = "$wanted" ] && [ -x code-server/node_modules/.bin/code-server ]; then
  echo "e2e setup: code-server $installed already installed"
  exit 0
fi

echo "e2e setup: code-server $wanted into e2e/code-server (about a minute, 300 MB)"
sh ./seed-ripgrep.sh
# Root: code-server's postinstall refuses to run without unsafe-perm (npm 11 warns the key is unknown, and honours
# the env all the same). node-pty's postinstall runs `npx node-gyp`, which needs yes=true to fetch node-gyp.
(cd code-server && npm_config_unsafe_perm=true npm_config_yes=true npm ci --no-audit --no-fund)
echo "e2e setup: $(code-server/node_modules/.bin/code-server --version --config /dev/null 2>/dev/null | tail -1)"
