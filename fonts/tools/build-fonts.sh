#!/usr/bin/env bash
# Regenerates the TrueType fonts in fonts/ from Debian's packages.
# Needs: apt-get install fonts-noto-cjk texlive-lang-chinese python3-fonttools
# Usage: fonts/tools/build-fonts.sh [fang] [song] [songbold]   (default: all three)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(dirname "$here")"
py=/usr/bin/python3 # Debian's python, which has fontTools (a pyenv python on PATH may not)
"$py" -c 'import fontTools' 2>/dev/null || { echo "build-fonts: $py lacks fontTools: apt-get install python3-fonttools" >&2; exit 1; }
for f in /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
	/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
	/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc; do
	[[ -f $f ]] || { echo "build-fonts: $f missing: apt-get install fonts-noto-cjk texlive-lang-chinese" >&2; exit 1; }
done
dpkg-query -W fonts-noto-cjk texlive-lang-chinese python3-fonttools 2>/dev/null || true
"$py" "$here/build_fonts.py" "$out" "$@"
# FandolFang: snap the outlines to a 4-unit grid (README.md); a no-op on its own output
if [[ $# -eq 0 || " $* " == *" fang "* ]]; then
	(cd "$out/.." && go run ./fonts/tools/quantize -grid 4 -tol 2 fonts/FandolFang-Regular.ttf fonts/FandolFang-Regular.ttf)
fi
