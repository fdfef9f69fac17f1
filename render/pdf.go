package render

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"rsc.io/qr"
)

// fontFamily are the fpdf family names. fpdf names an embedded font
// "utf8"+family; writePDF renames it, in place and with the same length, to
// a PDF subset name (six letters, "+", the font's name), so that readers and
// pdffonts see the fonts as the subsets they are.
var fontFamily = [nFonts]string{"fandolfang___", "notoserifsc___", "notoserifscbold____"}

var subsetNames = [nFonts]string{"PDAAAA+FandolFang", "PDAAAB+NotoSerifSC", "PDAAAC+NotoSerifSC-Bold"}

func renameFonts(pdf []byte) []byte {
	for i, fam := range fontFamily {
		old := []byte("/utf8" + fam)
		if len(old) != len(subsetNames[i])+1 {
			panic("render: subset font name lengths differ")
		}
		pdf = bytes.ReplaceAll(pdf, old, []byte("/"+subsetNames[i]))
	}
	return pdf
}

// china is the time zone of issue dates (UTC+8, no daylight saving).
var china = time.FixedZone("CST", 8*3600)

// docTime is the PDF's creation date: the issue date at midnight in China,
// so that the same inputs give the same bytes.
func docTime(d *Data) time.Time {
	for _, s := range []string{d.IssueDate, d.Facts.DecisionDate} {
		if t, err := time.ParseInLocation(dateLayout, s, china); err == nil {
			return t
		}
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, china)
}

const (
	pagenoBaseline = marginT + areaH + 7 + 1.6 // the dashes 7 mm below the type area
	watermarkPt    = 110.0
	qrCaptionPt    = 7.0
)

// decorations adds the runes of page numbers, watermark and QR caption.
func (ts *typesetter) decorations(npages int, draft, qr bool) {
	for _, r := range "— 0123456789" {
		ts.used[ts.decoFont][r] = true
	}
	if draft {
		for _, r := range watermarkText {
			ts.used[fontBold][r] = true
		}
	}
	if qr {
		for _, r := range qrCaption {
			ts.used[ts.decoFont][r] = true
		}
	}
}

const (
	watermarkText = "样稿"
	qrCaption     = "扫码核验"
)

// writePDF draws the pages.
func (ts *typesetter) writePDF(pages [][]op, d *Data, kind string) ([]byte, error) {
	draft := d.Draft
	withQR := !draft && d.VerifyURL != ""
	ts.decorations(len(pages), draft, withQR)

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false) // compressStreams does it, with pooled writers
	pdf.SetCatalogSort(true)
	t := docTime(d)
	pdf.SetCreationDate(t)
	pdf.SetModificationDate(t)
	pdf.SetProducer("penaltydoc", false)
	pdf.SetCreator("penaltydoc render", false)
	title := Label(kind)
	if d.Number != "" && !draft {
		title += " " + d.Number
	} else if draft {
		title += "（样稿）"
	}
	pdf.SetTitle(title, true)
	if d.Authority.Name != "" {
		pdf.SetAuthor(d.Authority.Name, true)
	}
	pdf.SetLang("zh-CN")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)

	loaded := [nFonts]bool{}
	for f := range nFonts {
		if len(ts.used[f]) == 0 {
			continue
		}
		runes := make([]rune, 0, len(ts.used[f]))
		for r := range ts.used[f] {
			runes = append(runes, r)
		}
		slices.Sort(runes)
		sub, err := ts.faces[f].(subsetter).Subset(runes)
		if err != nil {
			return nil, fmt.Errorf("subset font %s: %w", fontFamily[f], err)
		}
		pdf.AddUTF8FontFromBytes(fontFamily[f], "", sub)
		loaded[f] = true
	}
	if pdf.Err() {
		return nil, fmt.Errorf("load fonts: %w", pdf.Error())
	}

	sealName := ""
	if len(d.Authority.SealPNG) > 0 && !draft {
		sealName = "seal"
		pdf.RegisterImageOptionsReader(sealName, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(d.Authority.SealPNG))
		if pdf.Err() {
			return nil, fmt.Errorf("印章图片无法读取（需要 PNG）：%w", pdf.Error())
		}
	}

	k := 72 / 25.4
	for pi, ops := range pages {
		pdf.AddPage()
		tc := 0.0
		if draft {
			drawWatermark(pdf, fontFamily[fontBold])
		}
		var seals []op
		for _, o := range ops {
			switch o.kind {
			case 't':
				if !loaded[o.font] {
					continue
				}
				pdf.SetFont(fontFamily[o.font], "", o.size)
				if o.tc != tc {
					pdf.RawWriteStr(strconv.FormatFloat(o.tc*k, 'f', 3, 64) + " Tc")
					tc = o.tc
				}
				pdf.Text(o.x, o.y, o.s)
			case 'l':
				pdf.SetLineWidth(0.3)
				pdf.Line(o.x, o.y, o.x2, o.y2)
			case 's':
				seals = append(seals, o)
			}
		}
		if tc != 0 {
			pdf.RawWriteStr("0 Tc")
		}
		// page number: — N —, odd pages right, even pages left, one character in
		pdf.SetFont(fontFamily[ts.decoFont], "", pagenoPt)
		num := "— " + strconv.Itoa(pi+1) + " —"
		w := pdf.GetStringWidth(num)
		em := pagenoPt * mmPerPt
		x := marginL + areaW - em - w
		if (pi+1)%2 == 0 {
			x = marginL + em
		}
		pdf.Text(x, pagenoBaseline, num)
		if pi == 0 && withQR {
			if err := drawQR(pdf, d.VerifyURL, fontFamily[ts.decoFont]); err != nil {
				return nil, err
			}
		}
		if sealName != "" {
			for _, s := range seals {
				pdf.TransformBegin()
				pdf.SetAlpha(1, "Multiply")
				pdf.ImageOptions(sealName, s.x, s.y, s.x2, s.x2, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
				pdf.TransformEnd()
			}
		}
	}
	var buf bytes.Buffer
	buf.Grow(64 << 10)
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	out, err := compressStreams(buf.Bytes())
	if err != nil {
		return nil, err
	}
	return renameFonts(out), nil
}

type subsetter interface {
	Subset(runes []rune) ([]byte, error)
}

// drawWatermark puts a large light 样稿 diagonally across the page, under
// the text.
func drawWatermark(pdf *fpdf.Fpdf, family string) {
	pdf.TransformBegin()
	pdf.TransformRotate(40, pageW/2, pageH/2)
	pdf.SetTextColor(195, 195, 195)
	pdf.SetFont(family, "", watermarkPt)
	w := pdf.GetStringWidth(watermarkText)
	pdf.Text(pageW/2-w/2, pageH/2+watermarkPt*mmPerPt*0.35, watermarkText)
	pdf.SetTextColor(0, 0, 0)
	pdf.TransformEnd()
}

// drawQR draws the verify URL's QR code as filled squares in the top
// right corner of the first page, above the type area, with a caption.
func drawQR(pdf *fpdf.Fpdf, url, family string) error {
	code, err := qr.Encode(url, qr.M)
	if err != nil {
		return fmt.Errorf("核验二维码生成失败：%w", err)
	}
	n := code.Size
	x0 := marginL + areaW - qrSize
	y0 := 9.0
	m := qrSize / float64(n)
	k := 72 / 25.4
	var b []byte
	b = append(b, "q 0 g\n"...)
	for y := range n {
		for x := 0; x < n; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := x
			for run < n && code.Black(run, y) {
				run++
			}
			px := (x0 + float64(x)*m) * k
			py := (pageH - (y0 + float64(y+1)*m)) * k
			b = strconv.AppendFloat(b, px, 'f', 2, 64)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, py, 'f', 2, 64)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, float64(run-x)*m*k, 'f', 2, 64)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, m*k+0.01, 'f', 2, 64)
			b = append(b, " re\n"...)
			x = run
		}
	}
	b = append(b, "f Q"...)
	pdf.RawWriteStr(string(b))
	pdf.SetFont(family, "", qrCaptionPt)
	w := pdf.GetStringWidth(qrCaption)
	pdf.Text(x0+qrSize/2-w/2, y0+qrSize+3, qrCaption)
	return nil
}
