#!/usr/bin/env bash
# The quick start's main job: index the bundled sample images (samples/) into an embedded index in .clipsearch/
# with the bundled model, then search them from the terminal. Needs only the .NET 10 SDK; NuGet packages are restored
# by the build.
# usage: ./run.sh ["a text to search for"]
set -euo pipefail
cd "$(dirname "$0")"
query=${1:-"a photo of a red star."}
dotnet build -c Release src/Indexer -v q -nologo >/dev/null
clipsearch() { dotnet src/Indexer/bin/Release/net10.0/clipsearch.dll "$@"; }
# A store inside this checkout (.clipsearch/, ignored by git), so the quick start touches nothing else.
store=.clipsearch/index
clipsearch index samples --store "$store" --collection samples
echo "search: \"$query\"" >&2
clipsearch search "$query" --store "$store" --collection samples -k 5
