#!/usr/bin/env bash
# Starts the portal for a try-out (Production settings, http://localhost:5080, data under ./data).
# The first run restores NuGet packages and builds everything: a few minutes on a fresh machine,
# seconds afterwards. For real use see README, "Running it for a school or lab".
# Usage: ./run.sh [extra arguments for the portal, e.g. --urls http://0.0.0.0:5080]
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "DIY ML needs the .NET 10 SDK (dotnet --list-sdks shows none)."
  echo "Get it from https://dotnet.microsoft.com/download/dotnet/10.0, or on Debian/Ubuntu with"
  echo "Microsoft's package feed: sudo apt-get install dotnet-sdk-10.0"
  exit 1
fi

if [ ! -f src/DiyMl.Web/bin/Debug/net10.0/DiyMl.Web.dll ]; then
  echo "== First run: restoring NuGet packages (ML.NET, ONNX Runtime, the ResNet18 model) and building."
  echo "   This takes a few minutes; later starts take seconds."
fi
echo "== building"
dotnet build src/DiyMl.Web -nologo -v quiet -clp:ErrorsOnly
echo "== starting DIY ML on http://localhost:5080 (Ctrl+C stops it)"
exec dotnet run --project src/DiyMl.Web --no-build -- "$@"
