package render

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Every PDF render writes is PDF/A-2b (ISO 19005-2, level B; docs/pdfa.md):
// fpdf writes the XMP metadata stream (docMeta.xmp, SetXmpMetadata) and the
// rest is added by finishPDF's pass over fpdf's output, with the helpers
// here: the sRGB OutputIntent (its ICC profile compressed once per
// process), the Info dictionary's dates with their time zone (fpdf writes
// none; PDF/A wants Info and XMP to agree) and the trailer's /ID.

// srgbICC is the sRGB IEC61966-2.1 profile of icc-profiles-free (icc/LICENSE.txt).
//
//go:embed icc/sRGB.icc
var srgbICC []byte

// iccStream is the OutputIntent's profile stream without its object
// number: the dictionary and the deflated profile, the same in every
// document.
var iccStream = sync.OnceValue(func() []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(srgbICC)
	zw.Close()
	var b bytes.Buffer
	fmt.Fprintf(&b, " 0 obj\n<</N 3 /Alternate /DeviceRGB /Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	return b.Bytes()
})

// outputIntent is the catalog's /OutputIntents entry, less the profile's
// object number and the closing "R>>]".
const outputIntent = "/OutputIntents [<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)" +
	" /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) /DestOutputProfile "

// docMeta is what a document's Info dictionary says, which its XMP repeats.
type docMeta struct {
	title, author, producer, creator string
	date                             time.Time // creation and modification
}

// infoDate is the date as fpdf writes it in the Info dictionary, and as
// PDF/A wants it, with the time zone.
func (m *docMeta) infoDate() (fpdfForm, withZone string) {
	s := "(D:" + m.date.Format("20060102150405")
	_, off := m.date.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	z := fmt.Sprintf("%c%02d'%02d'", sign, off/3600, off/60%60)
	if off == 0 {
		z = "Z"
	}
	return s + ")", s + z + ")"
}

// xmp returns the document's XMP packet: the PDF/A identification and the
// Info dictionary's entries (ISO 19005-2 6.6.2.3.1 pairs Title with
// dc:title, Author with dc:creator, Creator with xmp:CreatorTool, Producer
// with pdf:Producer, the dates with xmp:CreateDate and xmp:ModifyDate).
func (m *docMeta) xmp() []byte {
	b := make([]byte, 0, 1400)
	b = append(b, "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"+
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"+
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"+
		"<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""+
		" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""+
		" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"+
		"<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"+
		"<dc:format>application/pdf</dc:format>\n"+
		"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"...)
	b = appendXML(b, m.title)
	b = append(b, "</rdf:li></rdf:Alt></dc:title>\n"...)
	if m.author != "" {
		b = append(b, "<dc:creator><rdf:Seq><rdf:li>"...)
		b = appendXML(b, m.author)
		b = append(b, "</rdf:li></rdf:Seq></dc:creator>\n"...)
	}
	date := m.date.Format(time.RFC3339)
	b = append(b, "<xmp:CreateDate>"+date+"</xmp:CreateDate>\n<xmp:ModifyDate>"+date+"</xmp:ModifyDate>\n"...)
	b = append(b, "<xmp:CreatorTool>"...)
	b = appendXML(b, m.creator)
	b = append(b, "</xmp:CreatorTool>\n<pdf:Producer>"...)
	b = appendXML(b, m.producer)
	b = append(b, "</pdf:Producer>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"...)
	return b
}

func appendXML(b []byte, s string) []byte {
	var w bytes.Buffer
	xml.EscapeText(&w, []byte(s))
	return append(b, w.Bytes()...)
}

// isMetadata reports whether dict (an object's text up to its stream) is
// the XMP stream, which stays uncompressed so that any tool finds it.
func isMetadata(dict []byte) bool {
	return bytes.Contains(dict, []byte("/Type /Metadata /Subtype /XML"))
}

// trailerRef returns the object number of key's reference in the trailer
// (key "/Root" or "/Info"), 0 if there is none.
func trailerRef(trailer []byte, key string) int {
	i := bytes.Index(trailer, []byte(key+" "))
	if i < 0 {
		return 0
	}
	s := trailer[i+len(key)+1:]
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(string(s[:j]))
	return n
}

// writeCatalog writes fpdf's catalog chunk with the OutputIntent, whose
// profile is object icc.
func writeCatalog(out *bytes.Buffer, chunk []byte, icc int) error {
	end := bytes.LastIndex(chunk, []byte(">>\nendobj"))
	if end < 0 || !bytes.Contains(chunk, []byte("/Type /Catalog")) {
		return fmt.Errorf("%w: catalog", errXref)
	}
	out.Write(chunk[:end])
	out.WriteString(outputIntent)
	out.WriteString(strconv.Itoa(icc))
	out.WriteString(" 0 R>>]\n")
	out.Write(chunk[end:])
	return nil
}

// writeInfo writes fpdf's Info chunk with the dates' time zone.
func writeInfo(out *bytes.Buffer, chunk []byte, m *docMeta) error {
	old, zoned := m.infoDate()
	if bytes.Count(chunk, []byte(old)) != 2 {
		return fmt.Errorf("%w: info dates", errXref)
	}
	out.Write(bytes.ReplaceAll(chunk, []byte(old), []byte(zoned)))
	return nil
}

// writeHeader writes fpdf's header, PDF 1.4 at least: fpdf writes 1.3
// for a document without transparency, a version without the Metadata
// entry (PDF/A-2 asks only for a header of the form %PDF-1.n).
func writeHeader(out *bytes.Buffer, hdr []byte) {
	if bytes.HasPrefix(hdr, []byte("%PDF-1.3\n")) {
		out.WriteString("%PDF-1.4")
		hdr = hdr[len("%PDF-1.3"):]
	}
	out.Write(hdr)
}

// writeICC appends the profile stream as object num.
func writeICC(out *bytes.Buffer, offs []int, num int) {
	offs[num] = out.Len()
	out.WriteString(strconv.Itoa(num))
	out.Write(iccStream())
}

// fileID is the trailer's /ID entry: both halves the first 16 bytes of a
// SHA-256 of body (the objects fpdf wrote, as finishPDF rewrote them: page
// contents, images, Info, XMP, catalog) and of each font's characters,
// which determine the embedded subsets and CMaps. Hashing those instead of
// the whole file leaves out the font programs (most of the bytes).
func fileID(body []byte, fonts *[nFonts]*docFont) string {
	h := sha256.New()
	h.Write(body)
	var b []byte
	for _, df := range fonts {
		if df == nil {
			continue
		}
		b = append(b[:0], subsetNames[df.slot]...)
		for _, r := range df.runes {
			b = binary.BigEndian.AppendUint32(b, uint32(r))
		}
		h.Write(b)
	}
	var sum [sha256.Size]byte
	id := hex.EncodeToString(h.Sum(sum[:0])[:16])
	return "/ID [<" + id + "><" + id + ">]\n"
}
