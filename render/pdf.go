package render

import (
	"bytes"
	"errors"
	"fmt"
	"penaltydoc/rules"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
	"unsafe"

	"codeberg.org/go-pdf/fpdf"
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
			ts.used[ts.decoFont].add(r)
		}
	}
	if draft {
		for _, r := range watermarkText {
			ts.used[fontBold].add(r)
		}
	}
	if qr {
		for _, r := range qrCaption {
			ts.used[ts.decoFont].add(r)
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
		if ts.used[f].len() == 0 {
			continue
		}
		runes := ts.used[f].sorted()
		e, ok := ts.faces[f].(embedder)
		if !ok {
			return nil, fmt.Errorf("render: font %s cannot be embedded", subsetNames[f])
		}
		df, err := newDocFont(f, e, runes)
		if err != nil {
			return nil, err
		}
		ts.used[f].rank()
		df.set = &ts.used[f]
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
	fs := newFontState(pdf)
	defer fs.release()
	for pi, ops := range pages {
		fs.flush()
		pdf.AddPage() // fpdf sets the current font again on the new page
		fs.page()
		tc := 0.0
		if draft {
			drawWatermark(fs, fonts[fontBold])
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
					fs.raw(append(strconv.AppendFloat(fs.buf, o.tc*k, 'f', 3, 64), " Tc"...))
					tc = o.tc
				}
				fs.text(o.x, o.y, fonts[o.font], o.s)
			case 'l':
				fs.flush()
				pdf.SetLineWidth(0.3)
				pdf.Line(o.x, o.y, o.x2, o.y2)
			case 's':
				seals = append(seals, o)
			}
		}
		if tc != 0 {
			fs.raw(append(fs.buf, "0 Tc"...))
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
			fs.text(x, pagenoBaseline, deco, num)
		}
		if pi == 0 && withQR {
			if err := drawQR(fs, d.VerifyURL, deco); err != nil {
				return nil, err
			}
		}
		fs.flush()
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
// state and stays set across text objects. It also writes the text
// operators itself, the bytes fpdf's Text writes for black text (without
// fpdf's fmt.Sprintf and escaping copies), gathered in pending and passed
// to fpdf at once: flush must come before every other call to pdf.
type fontState struct {
	pdf  *fpdf.Fpdf
	slot int // -1: unknown
	size float64
	// pending are lines for the page, each ended by a newline; buf is
	// scratch for one line
	pending, buf []byte
	// k and h are fpdf's scale factor and page height (user units)
	k, h float64
}

func (fs *fontState) set(slot int, size float64) {
	if slot == fs.slot && size == fs.size {
		return
	}
	fs.flush()
	fs.pdf.SetFont(placeholderFamily[slot], "", size)
	fs.slot, fs.size = slot, size
}

// page is called after AddPage: the page's size.
func (fs *fontState) page() {
	fs.k = fs.pdf.GetConversionRatio()
	_, fs.h = fs.pdf.GetPageSize()
}

// text writes s in font at x, y (mm, the baseline's start) as fpdf's
// Text(x, y, font.encode(s)) would for black text: BT x y Td (…) Tj ET,
// the string's parentheses, backslashes and carriage returns escaped.
func (fs *fontState) text(x, y float64, font *docFont, s string) {
	b := append(fs.pending, "BT "...)
	b = appendFixed2(b, x*fs.k)
	b = append(b, ' ')
	b = appendFixed2(b, (fs.h-y)*fs.k)
	b = append(b, " Td ("...)
	b = font.appendEncoded(b, s)
	fs.pending = append(b, ") Tj ET\n"...)
}

// raw adds line (built in fs.buf) to the page.
func (fs *fontState) raw(line []byte) {
	fs.pending = append(append(fs.pending, line...), '\n')
	fs.buf = line[:0]
}

// flush passes the pending lines to fpdf.
func (fs *fontState) flush() {
	if len(fs.pending) == 0 {
		return
	}
	// fpdf copies the string into the page and keeps no reference to it:
	// a view of pending, not a copy (one allocation less, and the page's
	// buffer grows once, not in ReadFrom's steps)
	fs.pdf.RawWriteStr(unsafe.String(&fs.pending[0], len(fs.pending)-1)) // fpdf adds the last newline
	fs.pending = fs.pending[:0]
}

// pendingPool holds fontState's buffers.
var pendingPool = sync.Pool{New: func() any { return &[2][]byte{make([]byte, 0, 16<<10), make([]byte, 0, 16<<10)} }}

func newFontState(pdf *fpdf.Fpdf) *fontState {
	bs := pendingPool.Get().(*[2][]byte)
	return &fontState{pdf: pdf, slot: -1, pending: bs[0][:0], buf: bs[1][:0]}
}

// release returns fs's buffers to their pool.
func (fs *fontState) release() {
	if cap(fs.pending) <= 1<<20 && cap(fs.buf) <= 1<<20 {
		pendingPool.Put(&[2][]byte{fs.pending[:0], fs.buf[:0]})
	}
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
	fs.flush()
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
	code, err := qrEncode(url)
	if err != nil {
		return fmt.Errorf("核验二维码生成失败：%w", err)
	}
	n := code.Size
	x0 := marginL + areaW - qrSize
	y0 := 9.0
	m := qrSize / float64(n)
	k := 72 / 25.4
	fs.raw(append(fs.buf, "q 0 g"...))
	b := fs.buf
	h := appendFixed2(nil, m*k+0.01) // every square's height
	for y := range n {
		row := code.Bitmap[y*code.Stride:]
		black := func(x int) bool { return row[x>>3]&(1<<uint(7-x&7)) != 0 }
		py := appendFixed2(nil, (pageH-(y0+float64(y+1)*m))*k)
		for x := 0; x < n; {
			if !black(x) {
				x++
				continue
			}
			run := x
			for run < n && black(run) {
				run++
			}
			b = appendFixed2(b[:0], (x0+float64(x)*m)*k)
			b = append(b, ' ')
			b = append(b, py...)
			b = append(b, ' ')
			b = appendFixed2(b, float64(run-x)*m*k)
			b = append(b, ' ')
			b = append(b, h...)
			b = append(b, " re"...)
			fs.raw(b)
			x = run
		}
	}
	fs.raw(append(fs.buf, "f Q"...))
	fs.set(font.slot, qrCaptionPt)
	w := font.width(qrCaption, qrCaptionPt)
	fs.text(x0+qrSize/2-w/2, y0+qrSize+3, font, qrCaption)
	return nil
}
