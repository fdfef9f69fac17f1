#!/usr/bin/env bash
# bench-anchors.sh: the 2-page letter (BenchmarkTwoPages) through
# penaltydoc/render and, in the same run, through the anchors of issue 12:
# fpdf as shipped (BenchmarkAnchorFpdf: fpdf's own UTF-8 TrueType path,
# MultiCell of the letter's text), typst warm in one process
# (@myriaddreamin/typst-ts-node-compiler, installed from npm into a
# temporary directory unless TYPST_TS_MODULE names an installed one), and
# Chromium --print-to-pdf of the letter as HTML (Renderer.RenderHTML).
# Prints each run and the medians (docs/performance.md, "Rendering").
#
#   scripts/bench-anchors.sh [runs]      # from anywhere in the repository
set -euo pipefail
runs=${1:-5}
chromium=${CHROMIUM:-/usr/bin/chromium}
typst_pkg=@myriaddreamin/typst-ts-node-compiler@0.7.0
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$root"

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

go test ./render -run '^TestWriteAnchors$' -anchors "$out" -count 1 >/dev/null
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages/ {print $2}'; }
echo "letter: $(pages "$out/letter.pdf") pages, $(stat -c %s "$out/letter.pdf") bytes (render)"

echo "== render and fpdf as shipped: go test -bench, one core (-cpu 1), $runs runs"
go test ./render -run '^$' -bench '^Benchmark(TwoPages|AnchorFpdf)$' -benchmem -cpu 1 -count "$runs" | tee "$out/go.txt" | grep ^Benchmark
for b in TwoPages AnchorFpdf; do
	wall=$(awk -v b="Benchmark$b" '$1==b {print $3/1e6}' "$out/go.txt" | median)
	cpu=$(awk -v b="Benchmark$b" '$1==b {for (i=1;i<NF;i++) if ($(i+1)=="cpu-ms/op") print $i}' "$out/go.txt" | median)
	echo "median $b: $wall ms/letter wall, $cpu ms/letter CPU"
done

echo "== typst warm ($typst_pkg), one process, $runs x 20 letters"
if [[ -z "${TYPST_TS_MODULE:-}" ]]; then
	if timeout 300 npm install --silent --no-audit --no-fund --prefix "$out/npm" "$typst_pkg" >/dev/null 2>&1; then
		TYPST_TS_MODULE="$out/npm/node_modules/@myriaddreamin/typst-ts-node-compiler"
	fi
fi
if [[ -n "${TYPST_TS_MODULE:-}" ]]; then
	TYPST_TS_MODULE=$TYPST_TS_MODULE node scripts/bench-typst.cjs "$out/letter.txt" "$root/fonts" "$runs" "$out/typst.pdf" | tee "$out/typst.txt"
	echo "median typst warm: $(awk '/warm/ {print $3}' "$out/typst.txt" | median) ms/letter wall, $(awk '/warm/ {print $6}' "$out/typst.txt" | median) ms/letter CPU; $(pages "$out/typst.pdf") pages, $(stat -c %s "$out/typst.pdf") bytes"
else
	echo "typst: $typst_pkg could not be installed (npm), skipped"
fi

echo "== chromium --print-to-pdf, one process per letter, $runs runs"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
	--disable-component-update --disable-sync --no-pdf-header-footer --allow-file-access-from-files)
for i in $(seq "$runs"); do
	profile=$(mktemp -d)
	/usr/bin/time -f "%e s wall, %U+%S s CPU, %M KB max RSS (largest process)" \
		"$chromium" "${flags[@]}" --user-data-dir="$profile" --print-to-pdf="$out/chromium.pdf" \
		"file://$out/letter.html" 2>&1 >/dev/null | grep -E 's wall' | tee -a "$out/chromium.txt" || true
	rm -rf "$profile"
done
echo "median chromium: $(awk '{print $1*1000}' "$out/chromium.txt" | median) ms/letter wall, $(awk '{split($4,a,"+"); print (a[1]+a[2])*1000}' "$out/chromium.txt" | median) ms/letter CPU; $(pages "$out/chromium.pdf") pages, $(stat -c %s "$out/chromium.pdf") bytes"
if [[ -n "${KEEP:-}" ]]; then cp "$out"/*.pdf "$out/letter.html" "$out/letter.txt" "$KEEP"/; fi
