#!/usr/bin/env bash
# bench-chromium.sh: the same letter through penaltydoc/render and through
# Chromium --print-to-pdf of an HTML rendering of it; prints time and peak
# memory of each (docs/performance.md).
#
#   scripts/bench-chromium.sh [kind] [runs]      # from the repository root
set -euo pipefail
kind=${1:-penalty_decision}
runs=${2:-5}
chromium=${CHROMIUM:-/usr/bin/chromium}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$root"
go build -o "$out/renderloop" ./render/cmd/renderloop
"$out/renderloop" -n 0 -kind "$kind" -party person -pdf "$out/render.pdf" -html "$out/letter.html" -fontdir "$root/fonts" >/dev/null

echo "== penaltydoc/render: $kind, $runs x 100 letters in one process, GOMAXPROCS=1"
for i in $(seq "$runs"); do
	GOMAXPROCS=1 "$out/renderloop" -n 100 -kind "$kind" -party person | grep -E 'ms/letter|VmHWM'
done
echo "   pages: $(pdfinfo "$out/render.pdf" | awk '/^Pages/ {print $2}'), size: $(stat -c %s "$out/render.pdf") bytes"

echo "== chromium --print-to-pdf: $kind, one process per letter"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
	--disable-component-update --disable-sync --no-pdf-header-footer --allow-file-access-from-files)
for i in $(seq "$runs"); do
	profile=$(mktemp -d)
	/usr/bin/time -f "%e s wall, %M KB max RSS (largest process)" \
		"$chromium" "${flags[@]}" --user-data-dir="$profile" --print-to-pdf="$out/chromium.pdf" \
		"file://$out/letter.html" 2>&1 >/dev/null | grep -E 's wall' || true
	rm -rf "$profile"
done
echo "   pages: $(pdfinfo "$out/chromium.pdf" | awk '/^Pages/ {print $2}'), size: $(stat -c %s "$out/chromium.pdf") bytes"
if [[ -n "${KEEP:-}" ]]; then cp "$out/render.pdf" "$out/chromium.pdf" "$out/letter.html" "$KEEP"/; fi
