#!/usr/bin/python3
"""Convert the Debian CJK fonts to the small TrueType (glyf) files that fpdf can load.

Usage: /usr/bin/python3 build_fonts.py OUTDIR

fpdf loads only TrueType outlines with a format 4 (BMP) cmap, so each font is
subset to the characters an administrative letter can need, stripped of the
layout, vertical and hinting tables, and converted from CFF cubic curves to
TrueType quadratic curves (fontTools cu2qu, as in fontTools' otf2ttf example).
"""
import os
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import cmap_format_4

FANDOL_DIR = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
NOTO_DIR = "/usr/share/fonts/opentype/noto"

# Code point ranges kept from Noto Serif CJK SC (the Song face and per-character fallback).
SONG_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A/B (pinyin tone marks)
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x045F),  # Cyrillic (basic; GB2312 has it)
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2300, 0x23FF),  # misc technical
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes (□○●)
    (0x2600, 0x26FF),  # misc symbols (★☆)
    (0x2700, 0x27BF),  # dingbats (✓✕)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㎡ ㎏)
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFE50, 0xFE6F),  # small form variants (in GBK)
    (0xFF00, 0xFFEF),  # half- and fullwidth forms
]

# The bold title face only needs the common characters a title uses.
BOLD_RANGES = [r for r in SONG_RANGES if r[0] not in (0x3400, 0xF900)]

DROP_TABLES = ["BASE", "GDEF", "GPOS", "GSUB", "JSTF", "VORG", "vhea", "vmtx",
               "DSIG", "meta", "LTSH", "VDMX", "hdmx", "kern", "morx", "feat"]


def load(path, face_name=None):
    if path.endswith(".ttc"):
        coll = TTCollection(path, lazy=False)
        for i, f in enumerate(coll.fonts):
            if f["name"].getDebugName(1) == face_name:
                return TTFont(path, fontNumber=i, recalcTimestamp=False, lazy=False)
        raise SystemExit(f"{face_name} not found in {path}")
    return TTFont(path, recalcTimestamp=False, lazy=False)


def subset_font(font, ranges):
    """Keep the BMP characters in ranges (all BMP characters when ranges is None)."""
    have = font.getBestCmap()
    if ranges is None:
        unicodes = [u for u in have if u <= 0xFFFF]
    else:
        unicodes = [u for u in have if u <= 0xFFFF and any(a <= u <= b for a, b in ranges)]
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += DROP_TABLES
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.legacy_cmap = False
    opts.symbol_cmap = False
    opts.prune_unicode_ranges = True
    opts.recalc_bounds = True
    s = subset.Subsetter(opts)
    s.populate(unicodes=unicodes)
    s.subset(font)
    return unicodes


def to_truetype(font):
    """CFF → glyf, after fontTools Snippets/otf2ttf.py."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = tt_pen.glyph()
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        if hasattr(g, "xMin"):
            hmtx[name] = (hmtx[name][0], g.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for k in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, k, 0)
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyf.glyphs.values() if hasattr(g, "components")), default=0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"


def bmp_cmap_only(font):
    """One Windows Unicode BMP subtable, format 4: what fpdf reads."""
    best = {u: g for u, g in font.getBestCmap().items() if u <= 0xFFFF}
    sub = cmap_format_4(4)
    sub.platformID, sub.platEncID, sub.language = 3, 1, 0
    sub.cmap = best
    cmap = font["cmap"]
    cmap.tableVersion = 0
    cmap.tables = [sub]


def build(src, face, ranges, out, family=None):
    font = load(src, face)
    n = subset_font(font, ranges)
    to_truetype(font)
    bmp_cmap_only(font)
    font.save(out)
    print(f"{out}: {len(n)} characters, {font['maxp'].numGlyphs} glyphs, "
          f"{os.path.getsize(out)} bytes")


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "."
    which = sys.argv[2:] or ["fang", "song", "songbold"]
    if "fang" in which:
        build(os.path.join(FANDOL_DIR, "FandolFang-Regular.otf"), None, None,
              os.path.join(outdir, "FandolFang-Regular.ttf"))
    if "song" in which:
        build(os.path.join(NOTO_DIR, "NotoSerifCJK-Regular.ttc"), "Noto Serif CJK SC", SONG_RANGES,
              os.path.join(outdir, "NotoSerifSC-Regular.ttf"))
    if "songbold" in which:
        build(os.path.join(NOTO_DIR, "NotoSerifCJK-Bold.ttc"), "Noto Serif CJK SC", BOLD_RANGES,
              os.path.join(outdir, "NotoSerifSC-Bold.ttf"))


if __name__ == "__main__":
    main()
