package render

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// fpdf makes a new zlib writer (about 1.2 MB) for every stream it
// compresses. Render turns fpdf's own compression of page contents off and
// compresses the uncompressed streams afterwards with pooled writers,
// rewriting the cross-reference table. Font files are still compressed by
// fpdf (it always does).

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

var errXref = errors.New("render: unexpected PDF structure from fpdf")

// compressStreams returns pdf with every stream that has no /Filter
// compressed with FlateDecode.
func compressStreams(pdf []byte) ([]byte, error) {
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
	slices.SortFunc(objs, func(a, b obj) int { return a.off - b.off })

	out := bytes.NewBuffer(make([]byte, 0, len(pdf)))
	if len(objs) == 0 {
		return pdf, nil
	}
	out.Write(pdf[:objs[0].off])
	newOff := make([]int, n)
	zw := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(zw)
	var cbuf bytes.Buffer
	for k, o := range objs {
		end := xrefAt
		if k+1 < len(objs) {
			end = objs[k+1].off
		}
		chunk := pdf[o.off:end]
		newOff[o.num] = out.Len()
		si := bytes.Index(chunk, []byte(">>\nstream\n"))
		if si < 0 || bytes.Contains(chunk[:si], []byte("/Filter")) {
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
		cbuf.Reset()
		zw.Reset(&cbuf)
		if _, err := zw.Write(data); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		out.Write(dict[:li])
		out.WriteString("/Filter /FlateDecode /Length ")
		out.WriteString(strconv.Itoa(cbuf.Len()))
		out.Write(dict[numEnd:])
		out.WriteString(">>\nstream\n")
		out.Write(cbuf.Bytes())
		out.Write(chunk[start+length:])
	}
	xref := out.Len()
	out.WriteString("xref\n0 ")
	out.WriteString(strconv.Itoa(n))
	out.WriteString("\n0000000000 65535 f \n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(out, "%010d 00000 n \n", newOff[i])
	}
	ti := bytes.LastIndex(trailer, []byte("startxref\n"))
	if ti < 0 {
		return nil, errXref
	}
	out.Write(trailer[:ti])
	out.WriteString("startxref\n")
	out.WriteString(strconv.Itoa(xref))
	out.WriteString("\n%%EOF\n")
	return out.Bytes(), nil
}
