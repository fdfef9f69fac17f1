package render

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// fpdf makes a new zlib writer (about 1.2 MB) for every stream it
// compresses. Render turns fpdf's own compression off and compresses the
// uncompressed streams afterwards with its own deflate encoder
// (deflate.go), rewriting the cross-reference table. The same pass embeds
// the fonts (embed.go).

var errXref = errors.New("render: unexpected PDF structure from fpdf")

// finishPDF returns pdf with every stream that has no /Filter compressed
// with FlateDecode (in contentCode: they are page contents), and each
// placeholder font (placeholderBase) replaced by the document's font in that
// slot, whose objects are appended; and with what PDF/A-2b adds to fpdf's
// output (pdfa.go): the OutputIntent and its profile, the Info dates' time
// zone, the trailer's /ID.
func finishPDF(pdf []byte, fonts [nFonts]*docFont, meta *docMeta) ([]byte, error) {
	for _, df := range fonts {
		if df != nil && df.err != nil {
			return nil, df.err
		}
	}
	sx := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if sx < 0 {
		return nil, errXref
	}
	xrefAt, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(pdf[sx+11:]), []byte("%%EOF")))))
	if err != nil || xrefAt <= 0 || xrefAt >= len(pdf) {
		return nil, errXref
	}
	x := pdf[xrefAt:]
	if !bytes.HasPrefix(x, []byte("xref\n0 ")) {
		return nil, errXref
	}
	nl := bytes.IndexByte(x[7:], '\n')
	if nl < 0 {
		return nil, errXref
	}
	n, err := strconv.Atoi(string(x[7 : 7+nl]))
	if err != nil || n < 1 {
		return nil, errXref
	}
	entries := x[7+nl+1:]
	if len(entries) < 20*n {
		return nil, errXref
	}
	type obj struct{ num, off int }
	objs := make([]obj, 0, n-1)
	for i := 1; i < n; i++ {
		off, err := strconv.Atoi(string(entries[20*i : 20*i+10]))
		if err != nil {
			return nil, errXref
		}
		objs = append(objs, obj{i, off})
	}
	trailer := entries[20*n:]
	root, info := trailerRef(trailer, "/Root"), trailerRef(trailer, "/Info")
	slices.SortFunc(objs, func(a, b obj) int { return a.off - b.off })

	if len(objs) == 0 {
		return nil, errXref
	}
	bufs := finishPool.Get().(*finishBufs)
	defer finishPool.Put(bufs)
	out := &bufs.out
	out.Reset()
	writeHeader(out, pdf[:objs[0].off])
	const perFont = 5 // objects appended per font (docFont.fontObjects)
	newOff := make([]int, n+perFont*nFonts+1)
	icc := n      // the OutputIntent's profile
	next := n + 1 // the next free object number
	var appended [nFonts]int
	for k, o := range objs {
		end := xrefAt
		if k+1 < len(objs) {
			end = objs[k+1].off
		}
		chunk := pdf[o.off:end]
		newOff[o.num] = out.Len()
		switch o.num {
		case root:
			if err := writeCatalog(out, chunk, icc); err != nil {
				return nil, err
			}
			continue
		case info:
			if err := writeInfo(out, chunk, meta); err != nil {
				return nil, err
			}
			continue
		}
		slot, err := placeholderSlot(chunk)
		if err != nil {
			return nil, err
		}
		if slot >= 0 {
			df := fonts[slot]
			if df == nil || appended[slot] != 0 {
				return nil, fmt.Errorf("%w: font %s", errXref, placeholderBase[slot])
			}
			appended[slot] = next
			fmt.Fprintf(out, "%d 0 obj\n<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H\n"+
				"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>\nendobj\n", o.num, subsetNames[slot], next, next+3)
			next += perFont
			continue
		}
		si := bytes.Index(chunk, []byte(">>\nstream\n"))
		if si < 0 || bytes.Contains(chunk[:si], []byte("/Filter")) || isMetadata(chunk[:si]) {
			out.Write(chunk)
			continue
		}
		dict := chunk[:si]
		li := bytes.LastIndex(dict, []byte("/Length "))
		if li < 0 {
			out.Write(chunk)
			continue
		}
		numEnd := li + 8
		for numEnd < len(dict) && dict[numEnd] >= '0' && dict[numEnd] <= '9' {
			numEnd++
		}
		length, err := strconv.Atoi(string(dict[li+8 : numEnd]))
		start := si + len(">>\nstream\n")
		if err != nil || start+length > len(chunk) {
			return nil, fmt.Errorf("%w: stream length", errXref)
		}
		data := chunk[start : start+length]
		bufs.content = contentCode().appendZlib(bufs.content[:0], data)
		if len(data) < smallStream {
			// the code's header (~80 bytes) may cost more than it saves
			if f := appendZlibFixed(bufs.content[len(bufs.content):], data); len(f) < len(bufs.content) {
				bufs.content = f
			}
		}
		out.Write(dict[:li])
		out.WriteString("/Filter /FlateDecode /Length ")
		out.WriteString(strconv.Itoa(len(bufs.content)))
		out.Write(dict[numEnd:])
		out.WriteString(">>\nstream\n")
		out.Write(bufs.content)
		out.Write(chunk[start+length:])
	}
	id := fileID(out.Bytes()[objs[0].off:], &fonts)
	writeICC(out, newOff, icc)
	for slot, first := range appended {
		if first == 0 {
			continue
		}
		if err := fonts[slot].fontObjects(out, newOff, first, &bufs.scratch); err != nil {
			return nil, err
		}
	}
	xref := out.Len()
	out.WriteString("xref\n0 ")
	out.WriteString(strconv.Itoa(next))
	out.WriteString("\n0000000000 65535 f \n")
	for i := 1; i < next; i++ {
		fmt.Fprintf(out, "%010d 00000 n \n", newOff[i])
	}
	ti := bytes.LastIndex(trailer, []byte("startxref\n"))
	if ti < 0 {
		return nil, errXref
	}
	oldSize := []byte("/Size " + strconv.Itoa(n) + "\n")
	si := bytes.Index(trailer[:ti], oldSize)
	if si < 0 {
		return nil, fmt.Errorf("%w: trailer", errXref)
	}
	out.Write(trailer[:si])
	out.WriteString("/Size " + strconv.Itoa(next) + "\n")
	out.WriteString(id)
	out.Write(trailer[si+len(oldSize) : ti])
	out.WriteString("startxref\n")
	out.WriteString(strconv.Itoa(xref))
	out.WriteString("\n%%EOF\n")
	return bytes.Clone(out.Bytes()), nil
}

// smallStream is the size below which a content stream is also encoded
// in the fixed code, and kept so when that is shorter.
const smallStream = 2048

// finishBufs are finishPDF's buffers, reused across documents: the output
// (copied at the end), a content stream's compressed data, and room for
// the font objects' streams.
type finishBufs struct {
	out              bytes.Buffer
	content, scratch []byte
}

var finishPool = sync.Pool{New: func() any { return new(finishBufs) }}

// placeholderSlot returns the font slot whose placeholder chunk is (an fpdf
// core font object), -1 for any other object. A Type1 font object that is
// not a placeholder is an error: fpdf's output is not what finishPDF expects.
func placeholderSlot(chunk []byte) (int, error) {
	const prefix = "<</Type /Font\n/BaseFont /"
	hdr := bytes.IndexByte(chunk, '\n')
	if hdr < 0 || !bytes.HasPrefix(chunk[hdr+1:], []byte(prefix)) {
		return -1, nil
	}
	dict := chunk[hdr+1+len(prefix):]
	for slot, base := range placeholderBase {
		if bytes.HasPrefix(dict, []byte(base+"\n/Subtype /Type1\n")) {
			return slot, nil
		}
	}
	if bytes.Contains(dict, []byte("/Type1")) {
		return -1, fmt.Errorf("%w: font object %q", errXref, chunk[:min(len(chunk), 80)])
	}
	return -1, nil
}
