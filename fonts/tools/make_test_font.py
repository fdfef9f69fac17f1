#!/usr/bin/python3
"""Writes testdata/composite.ttf: a tiny TrueType font whose glyph for "B"
is a composite of the glyph for "A" (twice, the second scaled), to test that
Subset keeps and renumbers components. Usage: make_test_font.py OUT.ttf"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.misc.timeTools import timestampFromString
from fontTools.pens.ttGlyphPen import TTGlyphPen


def box(x0, y0, x1, y1):
    pen = TTGlyphPen(None)
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    return pen.glyph()


fb = FontBuilder(1000, isTTF=True)
order = [".notdef", "space", "Z", "A", "B"]
fb.setupGlyphOrder(order)
fb.setupCharacterMap({0x20: "space", 0x41: "A", 0x42: "B", 0x5A: "Z"})
pen = TTGlyphPen({"A": None})
pen.addComponent("A", (1, 0, 0, 1, 0, 0))
pen.addComponent("A", (0.5, 0, 0, 0.5, 300, 400))
fb.setupGlyf({".notdef": box(50, 0, 450, 700), "space": TTGlyphPen(None).glyph(),
              "Z": box(100, 0, 500, 700), "A": box(100, 0, 200, 300), "B": pen.glyph()})
fb.setupHorizontalMetrics({".notdef": (500, 50), "space": (250, 0), "Z": (600, 100),
                           "A": (300, 100), "B": (700, 100)})
fb.setupHorizontalHeader(ascent=800, descent=-200)
fb.setupNameTable({"familyName": "CompositeTest", "styleName": "Regular"})
fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200, fsType=0)
fb.setupPost()
fb.font["head"].created = fb.font["head"].modified = timestampFromString("Sat Jan  1 00:00:00 2000")
fb.save(sys.argv[1])
