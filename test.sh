#!/usr/bin/env bash
# Runs every test of DIY ML. Installs what the tests need when it is missing:
# Debian's Chromium (browser tests), Debian's Fashion-MNIST (ML tests and benchmarks) and the
# npm pieces of CongoDB (the MongoDB-wire server the Mongo engine is tested against).
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Storage]
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || need_apt+=(dataset-fashion-mnist)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x tools/congodb/install.sh ]; then
  tools/congodb/install.sh
fi

if [ ! -d src/DiyMl.Web/bin/Release ]; then
  echo "== first build: restoring NuGet packages and building every project in Release; this takes a few minutes"
else
  echo "== building"
fi
dotnet build DiyMl.sln -c Release -nologo -clp:ErrorsOnly

echo "== testing"
log=$(mktemp)
status=0
# Browser tests run after the others: on two cores, four test hosts plus CongoDB at once starve
# Chromium's circuit and its uploads time out. The rest still run side by side.
dotnet test DiyMl.sln -c Release --no-build -nologo --filter "FullyQualifiedName!~DiyMl.E2E" "$@" 2>&1 | tee "$log" || status=$?
dotnet test tests/DiyMl.E2E -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log" || status=$?

# One plain closing line that any CI reader understands.
awk '/(Passed|Failed)!  - /{
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
  }
} END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
