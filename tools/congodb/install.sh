#!/usr/bin/env bash
# Installs CongoDB's npm pieces (pinned in package-lock.json) into tools/congodb/node_modules.
# Idempotent and quiet when they are already there. --ignore-scripts: nothing downloads a binary.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.diyml-installed
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -f node_modules/@push.rocks/smartmongo/package.json ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "tools/congodb: npm is missing; install Node.js 20+ (Debian: apt-get install nodejs npm) to test the Mongo engine" >&2
  exit 1
fi

echo "== installing CongoDB npm packages (tools/congodb)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
touch "$stamp"
