package render

import (
	"bytes"
	"errors"
	"fmt"
	"penaltydoc/rules"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
	"rsc.io/qr"
)

// docTime is the PDF's creation date: the issue date at midnight in China,
// so that the same inputs give the same bytes.
func docTime(d *Data) time.Time {
	for _, s := range []string{d.IssueDate, d.Facts.DecisionDate} {
		if t, err := time.ParseInLocation(dateLayout, s, rules.China); err == nil {
			return t
		}
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, rules.China)
}

const (
	pagenoBaseline = marginT + areaH + 7 + 1.6 // the dashes 7 mm below the type area
	watermarkPt    = 110.0
	qrCaptionPt    = 7.0
)

// decorations adds the runes of page numbers (from two pages on),
// watermark and QR caption.
func (ts *typesetter) decorations(npages int, draft, qr bool) {
	if npages > 1 {
		for _, r := range "— 0123456789" {
			ts.used[ts.decoFont][r] = true
		}
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
	draft := d.Draft || d.Specimen // the watermark
	withQR := !draft && d.VerifyURL != ""
	ts.decorations(len(pages), draft, withQR)

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false) // compressStreams does it, with pooled writers
	pdf.SetCatalogSort(true)
	t := docTime(d)
	pdf.SetCreationDate(t)
	pdf.SetModificationDate(t)
	meta := docMeta{producer: "penaltydoc", creator: "penaltydoc render", author: d.Authority.Name, date: t}
	pdf.SetProducer(meta.producer, false)
	pdf.SetCreator(meta.creator, false)
	title := Label(kind)
	if d.Number != "" && !draft {
		title += " " + d.Number
	} else if draft {
		title += "（样稿）"
	}
	pdf.SetTitle(title, true)
	meta.title = title
	pdf.SetXmpMetadata(meta.xmp())
	if d.Authority.Name != "" {
		pdf.SetAuthor(d.Authority.Name, true)
	}
	pdf.SetLang("zh-CN")
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)

	var fonts [nFonts]*docFont
	for f := range nFonts {
		if len(ts.used[f]) == 0 {
			continue
		}
		runes := make([]rune, 0, len(ts.used[f]))
		for r := range ts.used[f] {
			runes = append(runes, r)
		}
		slices.Sort(runes)
		e, ok := ts.faces[f].(embedder)
		if !ok {
			return nil, fmt.Errorf("render: font %s cannot be embedded", subsetNames[f])
		}
		df, err := newDocFont(f, e, runes)
		if err != nil {
			return nil, err
		}
		fonts[f] = df
	}
	addPlaceholders(pdf, &fonts)
	numbered := len(pages) > 1 // a letter of one page carries no page number
	deco := fonts[ts.decoFont]
	if ((numbered || withQR) && deco == nil) || (draft && fonts[fontBold] == nil) {
		return nil, errors.New("render: no font for page numbers")
	}

	sealName := ""
	if len(d.Authority.SealPNG) > 0 && (!d.Draft || d.Specimen) {
		sealName = "seal"
		pdf.RegisterImageOptionsReader(sealName, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(d.Authority.SealPNG))
		if pdf.Err() {
			return nil, fmt.Errorf("印章图片无法读取（需要 PNG）：%w", pdf.Error())
		}
	}

	k := 72 / 25.4
	fs := fontState{pdf: pdf, slot: -1}
	for pi, ops := range pages {
		pdf.AddPage() // fpdf sets the current font again on the new page
		tc := 0.0
		if draft {
			drawWatermark(&fs, fonts[fontBold])
		}
		var seals []op
		for _, o := range ops {
			switch o.kind {
			case 't':
				if fonts[o.font] == nil {
					continue
				}
				fs.set(int(o.font), o.size)
				if o.tc != tc {
					pdf.RawWriteStr(strconv.FormatFloat(o.tc*k, 'f', 3, 64) + " Tc")
					tc = o.tc
				}
				pdf.Text(o.x, o.y, fonts[o.font].encode(o.s))
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
		if numbered {
			// page number: — N —, odd pages right, even pages left, one character in
			fs.set(int(ts.decoFont), pagenoPt)
			num := "— " + strconv.Itoa(pi+1) + " —"
			w := deco.width(num, pagenoPt)
			em := pagenoPt * mmPerPt
			x := marginL + areaW - em - w
			if (pi+1)%2 == 0 {
				x = marginL + em
			}
			pdf.Text(x, pagenoBaseline, deco.encode(num))
		}
		if pi == 0 && withQR {
			if err := drawQR(&fs, d.VerifyURL, deco); err != nil {
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
	buf := outPool.Get().(*bytes.Buffer)
	defer outPool.Put(buf)
	buf.Reset()
	if err := pdf.Output(buf); err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	out, err := finishPDF(buf.Bytes(), fonts, &meta)
	for _, df := range fonts {
		if df != nil {
			df.release()
		}
	}
	return out, err
}

// outPool holds buffers for fpdf's output, which finishPDF rewrites.
var outPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// fontState sets fpdf's font only when it changes: fpdf writes a Tf
// operator for every SetFont, though the font is part of the graphics
// state and stays set across text objects.
type fontState struct {
	pdf  *fpdf.Fpdf
	slot int // -1: unknown
	size float64
}

func (fs *fontState) set(slot int, size float64) {
	if slot == fs.slot && size == fs.size {
		return
	}
	fs.pdf.SetFont(placeholderFamily[slot], "", size)
	fs.slot, fs.size = slot, size
}

// restore is called after a Q operator, which restores the font that was
// set before the matching q, unknown here.
func (fs *fontState) restore() { fs.slot = -1 }

// drawWatermark puts a large light 样稿 diagonally across the page, under
// the text. It is text in the bold Song font (with its ToUnicode CMap),
// marked with its ActualText: text extraction reads rotated glyphs one by
// one (pdftotext puts 样 and 稿 on lines of their own) and gives the word
// whole only so.
func drawWatermark(fs *fontState, font *docFont) {
	pdf := fs.pdf
	pdf.TransformBegin()
	pdf.TransformRotate(40, pageW/2, pageH/2)
	pdf.SetTextColor(195, 195, 195)
	fs.set(font.slot, watermarkPt)
	w := font.width(watermarkText, watermarkPt)
	pdf.RawWriteStr(watermarkSpan)
	pdf.Text(pageW/2-w/2, pageH/2+watermarkPt*mmPerPt*0.35, font.encode(watermarkText))
	pdf.RawWriteStr("EMC")
	pdf.SetTextColor(0, 0, 0)
	pdf.TransformEnd()
	fs.restore()
}

// watermarkSpan opens the marked content of the watermark: a span whose
// ActualText is watermarkText (UTF-16BE with its byte order mark).
var watermarkSpan = func() string {
	b := []byte("/Span <</ActualText <FEFF")
	for _, u := range utf16.Encode([]rune(watermarkText)) {
		b = appendHex4(b, int(u))
	}
	return string(append(b, ">>> BDC"...))
}()

// drawQR draws the verify URL's QR code as filled squares in the top
// right corner of the first page, above the type area, with a caption.
func drawQR(fs *fontState, url string, font *docFont) error {
	pdf := fs.pdf
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
	fs.set(font.slot, qrCaptionPt)
	w := font.width(qrCaption, qrCaptionPt)
	pdf.Text(x0+qrSize/2-w/2, y0+qrSize+3, font.encode(qrCaption))
	return nil
}
