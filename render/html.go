package render

import (
	"context"
	"fmt"
	"html"
	"strings"
)

// RenderHTML writes the same letter as a plain HTML page (A4 print CSS, the
// same fonts from fontDir by file URL). It exists for the Chromium
// comparison in docs/performance.md; the PDF from Render is the document.
func (r *Renderer) RenderHTML(ctx context.Context, t *Template, d Data, fontDir string) ([]byte, error) {
	if d.Draft {
		d.Number = ""
	}
	blocks, err := t.execute(ctx, &d, r.limits.withDefaults())
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title>
<style>
@font-face { font-family: "FandolFang"; src: url("file://%s/FandolFang-Regular.ttf"); }
@font-face { font-family: "NotoSerifSC"; src: url("file://%s/NotoSerifSC-Regular.ttf"); }
@font-face { font-family: "NotoSerifSCBold"; src: url("file://%s/NotoSerifSC-Bold.ttf"); }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; @bottom-right { content: "— " counter(page) " —"; } }
body { margin: 0; font: 16pt/10.227mm "FandolFang", "NotoSerifSC", serif; }
p { margin: 0; text-indent: 2em; text-align: justify; line-break: strict; }
p.left { text-indent: 0; } p.c { text-align: center; text-indent: 0; } p.r { text-align: right; text-indent: 0; }
h1 { font: 22pt/10.227mm "NotoSerifSCBold", serif; text-align: center; margin: 0; }
h2 { font: 16pt/10.227mm "NotoSerifSCBold", serif; text-indent: 2em; margin: 0; }
table { width: 100%%; border-collapse: collapse; font-size: 14pt; line-height: 7.6mm; }
td { border: 0.3mm solid #000; padding: 1.6mm; vertical-align: middle; }
.sig { text-align: right; margin-right: 4em; margin-top: 10.227mm; break-inside: avoid; }
.sig div { text-align: center; }
</style></head><body>
`, html.EscapeString(Label(t.kind)), fontDir, fontDir, fontDir)
	for _, bl := range blocks {
		e := html.EscapeString(bl.text)
		switch bl.kind {
		case kTitle:
			fmt.Fprintf(&b, "<h1>%s</h1>\n", e)
		case kHeading:
			fmt.Fprintf(&b, "<h2>%s</h2>\n", e)
		case kNumber, kRight:
			fmt.Fprintf(&b, "<p class=r>%s</p>\n", e)
		case kCenter:
			fmt.Fprintf(&b, "<p class=c>%s</p>\n", e)
		case kLeft:
			fmt.Fprintf(&b, "<p class=left>%s</p>\n", e)
		case kBlank:
			b.WriteString("<p>&nbsp;</p>\n")
		case kPageBreak:
			b.WriteString("<div style=\"break-after: page\"></div>\n")
		case kSignature:
			b.WriteString("<div class=sig><div style=\"display:inline-block\">")
			for _, c := range bl.cells {
				fmt.Fprintf(&b, "<div>%s</div>", html.EscapeString(c))
			}
			b.WriteString("</div></div>\n")
		case kTable:
			b.WriteString("<table>\n")
			for _, row := range bl.rows {
				b.WriteString("<tr>")
				for _, c := range row {
					c = strings.TrimLeft(c, "^>")
					fmt.Fprintf(&b, "<td>%s</td>", strings.ReplaceAll(html.EscapeString(c), "&lt;br&gt;", "<br>"))
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</table>\n")
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", e)
		}
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String()), nil
}
