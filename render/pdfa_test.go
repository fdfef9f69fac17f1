package render

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/big"
	"os/exec"
	"strings"
	"testing"
	"time"

	digipdf "github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"penaltydoc/rules"
)

func init() { model.ConfigPath = "disable" } // pdfcpu must not write a config folder

// pdfaCases are the documents TestPDFA checks: every kind for both
// parties, a draft (watermark), a specimen and a letter whose seal has an
// alpha channel (an SMask image, as a seal uploaded with a transparent
// background gives).
func pdfaCases(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for _, kind := range Kinds() {
		for _, party := range parties {
			docs[kind+"_"+party] = render(t, kind, SampleData(kind, party))
		}
	}
	d := SampleData("penalty_decision", parties[0])
	d.Draft = true
	docs["draft"] = render(t, "penalty_decision", d)
	d = SampleData("penalty_decision", parties[1])
	d.Specimen = true
	docs["specimen"] = render(t, "penalty_decision", d)
	d = SampleData("penalty_decision", parties[1])
	d.Authority.SealPNG = alphaSeal(t)
	docs["alpha_seal"] = render(t, "penalty_decision", d)
	return docs
}

// alphaSeal is a red ring on a transparent background, with soft edges.
func alphaSeal(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 120))
	for y := range 120 {
		for x := range 120 {
			dx, dy := x-60, y-60
			r2 := dx*dx + dy*dy
			if r2 < 55*55 && r2 > 45*45 {
				img.Set(x, y, color.NRGBA{0xd0, 0x10, 0x10, uint8(128 + r2%128)})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPDFA reads back what PDF/A-2b asks of every document (docs/pdfa.md
// lists the checks): pdfcpu's strict validation, the catalog's Metadata
// and OutputIntents, Info and XMP agreeing, the trailer's /ID, every font
// embedded with widths that agree with its font program, no JavaScript,
// encryption or LZW, only the blend modes and soft masks PDF/A-2 allows,
// no interpolated or alternate images;
// and qpdf --check where qpdf is installed.
func TestPDFA(t *testing.T) {
	for name, pdf := range pdfaCases(t) {
		t.Run(name, func(t *testing.T) {
			checkPDFA(t, pdf)
			checkQpdf(t, name, pdf)
		})
	}
}

func checkQpdf(t *testing.T, name string, pdf []byte) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		return
	}
	p := artifact(t, "pdfa_"+name+".pdf", pdf)
	out, err := exec.Command("qpdf", "--check", p).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("WARNING")) {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

// checkPDFA fails t for anything in pdf that PDF/A-2b forbids or misses
// of what render should write. A signed document (an incremental update)
// is checked the same way.
func checkPDFA(t *testing.T, pdf []byte) {
	t.Helper()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	ctx, err := api.ReadContext(bytes.NewReader(pdf), conf)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		t.Errorf("pdfcpu validation (strict): %v", err)
	}
	x := ctx.XRefTable
	if x.Encrypt != nil {
		t.Error("encrypted")
	}
	if len(x.ID) != 2 {
		t.Errorf("trailer /ID: %v", x.ID)
	}
	for _, id := range x.ID {
		h, ok := id.(types.HexLiteral)
		if !ok || len(h) != 32 {
			t.Errorf("trailer /ID element %v: want 16 bytes in hex", id)
		}
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || pdf[8] != '\n' || len(pdf) < 14 ||
		pdf[9] != '%' || pdf[10] < 128 || pdf[11] < 128 || pdf[12] < 128 || pdf[13] < 128 {
		t.Errorf("header: %q (PDF/A: a comment of four bytes above 127 on the second line)", pdf[:min(len(pdf), 16)])
	}

	cat, err := x.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	// OutputIntents: one PDF/A intent with an RGB profile
	ois, err := x.DereferenceArray(cat["OutputIntents"])
	if err != nil || len(ois) != 1 {
		t.Fatalf("OutputIntents: %v %v", ois, err)
	}
	oi, err := x.DereferenceDict(ois[0])
	if err != nil {
		t.Fatal(err)
	}
	if s := oi.NameEntry("S"); s == nil || *s != "GTS_PDFA1" {
		t.Errorf("OutputIntent /S %v", s)
	}
	prof, _, err := x.DereferenceStreamDict(oi["DestOutputProfile"])
	if err != nil || prof == nil {
		t.Fatalf("DestOutputProfile: %v", err)
	}
	if err := prof.Decode(); err != nil {
		t.Fatal(err)
	}
	icc := prof.Content
	if n := prof.IntEntry("N"); n == nil || *n != 3 || len(icc) < 128 || string(icc[16:20]) != "RGB " ||
		string(icc[36:40]) != "acsp" || int(binary.BigEndian.Uint32(icc)) != len(icc) || icc[8] > 4 {
		t.Errorf("ICC profile: /N %v, %d bytes, colour space %q", prof.IntEntry("N"), len(icc), icc[16:20])
	}

	// Metadata: uncompressed XMP naming PDF/A-2B, agreeing with Info
	md, _, err := x.DereferenceStreamDict(cat["Metadata"])
	if err != nil || md == nil {
		t.Fatalf("Metadata: %v", err)
	}
	if len(md.FilterPipeline) != 0 {
		t.Errorf("Metadata stream has a filter")
	}
	if ty, st := md.NameEntry("Type"), md.NameEntry("Subtype"); ty == nil || *ty != "Metadata" || st == nil || *st != "XML" {
		t.Errorf("Metadata /Type %v /Subtype %v", ty, st)
	}
	if err := md.Decode(); err != nil {
		t.Fatal(err)
	}
	xmp := string(md.Content)
	info, err := x.DereferenceDict(*x.Info)
	if err != nil {
		t.Fatal(err)
	}
	text := func(key string) string {
		s, err := x.DereferenceText(info[key])
		if err != nil {
			t.Errorf("Info /%s: %v", key, err)
		}
		return s
	}
	date := func(key string) string {
		s := text(key) // D:YYYYMMDDHHmmSS+HH'mm'
		if len(s) != 23 {
			t.Errorf("Info /%s %q: want D:YYYYMMDDHHmmSS+HH'mm'", key, s)
			return ""
		}
		return s[2:6] + "-" + s[6:8] + "-" + s[8:10] + "T" + s[10:12] + ":" + s[12:14] + ":" + s[14:16] + s[16:19] + ":" + s[20:22]
	}
	var esc strings.Builder
	want := []string{
		"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		`<rdf:li xml:lang="x-default">` + xmlText(&esc, text("Title")) + "</rdf:li>",
		"<xmp:CreateDate>" + date("CreationDate") + "</xmp:CreateDate>",
		"<xmp:ModifyDate>" + date("ModDate") + "</xmp:ModifyDate>",
		"<xmp:CreatorTool>" + xmlText(&esc, text("Creator")) + "</xmp:CreatorTool>",
		"<pdf:Producer>" + xmlText(&esc, text("Producer")) + "</pdf:Producer>",
	}
	if _, ok := info["Author"]; ok {
		want = append(want, "<dc:creator><rdf:Seq><rdf:li>"+xmlText(&esc, text("Author"))+"</rdf:li></rdf:Seq></dc:creator>")
	}
	for _, key := range []string{"Subject", "Keywords", "Trapped"} {
		if _, ok := info[key]; ok {
			t.Errorf("Info /%s, which the XMP does not repeat", key)
		}
	}
	for _, w := range want {
		if !strings.Contains(xmp, w) {
			t.Errorf("XMP lacks %s:\n%s", w, xmp)
		}
	}
	if strings.Contains(xmp, "bytes=") || strings.Contains(xmp, "encoding=") {
		t.Error("xpacket header with bytes or encoding")
	}

	// every object
	fonts := 0
	for num, e := range x.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		var d types.Dict
		switch o := e.Object.(type) {
		case types.Dict:
			d = o
		case types.StreamDict:
			d = o.Dict
			for _, f := range o.FilterPipeline {
				if f.Name == "LZWDecode" {
					t.Errorf("object %d: LZW", num)
				}
			}
		default:
			continue
		}
		for _, key := range []string{"JS", "JavaScript", "AA", "OpenAction", "EmbeddedFile"} {
			if _, ok := d[key]; ok {
				t.Errorf("object %d has /%s", num, key)
			}
		}
		if st := d.Subtype(); st != nil && *st == "Image" {
			if v, ok := d["Interpolate"]; ok && fmt.Sprint(v) != "false" {
				t.Errorf("image %d: /Interpolate %v", num, v)
			}
			for _, key := range []string{"Alternates", "OPI"} {
				if _, ok := d[key]; ok {
					t.Errorf("image %d: /%s", num, key)
				}
			}
		}
		if d.Type() != nil && *d.Type() == "ExtGState" {
			checkExtGState(t, num, d)
		}
		if ty := d.Type(); ty != nil && *ty == "Font" {
			if st := d.Subtype(); st != nil && *st == "Type0" {
				fonts++
				checkType0(t, x, num, d)
			} else if st == nil || *st != "CIDFontType2" {
				t.Errorf("font object %d: /Subtype %v (render writes Type0 fonts only)", num, st)
			}
		}
	}
	if fonts == 0 {
		t.Error("no fonts")
	}
}

func xmlText(b *strings.Builder, s string) string {
	b.Reset()
	return string(appendXML(nil, s))
}

// checkExtGState allows PDF/A-2's blend modes and no soft mask but /None
// (ISO 19005-2 6.2.10, 6.4).
func checkExtGState(t *testing.T, num int, d types.Dict) {
	if bm := d.NameEntry("BM"); bm != nil {
		switch *bm {
		case "Normal", "Compatible", "Multiply", "Screen", "Overlay", "Darken", "Lighten", "ColorDodge",
			"ColorBurn", "HardLight", "SoftLight", "Difference", "Exclusion", "Hue", "Saturation", "Color", "Luminosity":
		default:
			t.Errorf("ExtGState %d: blend mode %s", num, *bm)
		}
	}
	if sm, ok := d["SMask"]; ok {
		if n, isName := sm.(types.Name); !isName || n != "None" {
			t.Errorf("ExtGState %d: SMask %v", num, sm)
		}
	}
	if _, ok := d["TR"]; ok {
		t.Errorf("ExtGState %d: TR", num)
	}
	if tr2, ok := d["TR2"]; ok && fmt.Sprint(tr2) != "Default" {
		t.Errorf("ExtGState %d: TR2", num)
	}
}

// checkType0 checks a composite font: Identity-H, one CIDFontType2
// descendant with its program embedded (FontFile2), a CIDToGIDMap stream,
// a ToUnicode CMap, and every /W width equal to the glyph's advance in the
// program's hmtx (ISO 19005-2 6.2.11.5), in 1/1000 em, within one unit.
func checkType0(t *testing.T, x *model.XRefTable, num int, d types.Dict) {
	if e := d.NameEntry("Encoding"); e == nil || *e != "Identity-H" {
		t.Errorf("font %d: encoding %v", num, d["Encoding"])
	}
	if _, ok := d["ToUnicode"]; !ok {
		t.Errorf("font %d: no ToUnicode", num)
	}
	desc, err := x.DereferenceArray(d["DescendantFonts"])
	if err != nil || len(desc) != 1 {
		t.Fatalf("font %d: DescendantFonts %v %v", num, desc, err)
	}
	cid, err := x.DereferenceDict(desc[0])
	if err != nil {
		t.Fatal(err)
	}
	if st := cid.Subtype(); st == nil || *st != "CIDFontType2" {
		t.Fatalf("font %d: descendant %v", num, st)
	}
	fd, err := x.DereferenceDict(cid["FontDescriptor"])
	if err != nil {
		t.Fatal(err)
	}
	ff, _, err := x.DereferenceStreamDict(fd["FontFile2"])
	if err != nil || ff == nil {
		t.Fatalf("font %d: not embedded (no FontFile2): %v", num, err)
	}
	if err := ff.Decode(); err != nil {
		t.Fatal(err)
	}
	gm, _, err := x.DereferenceStreamDict(cid["CIDToGIDMap"])
	if err != nil || gm == nil {
		t.Fatalf("font %d: CIDToGIDMap %v", num, err)
	}
	if err := gm.Decode(); err != nil {
		t.Fatal(err)
	}
	ttf := ff.Content
	head, err1 := sfntTable(ttf, "head")
	hhea, err2 := sfntTable(ttf, "hhea")
	hmtx, err3 := sfntTable(ttf, "hmtx")
	if err1 != nil || err2 != nil || err3 != nil || len(head) < 54 || len(hhea) < 36 {
		t.Fatalf("font %d: tables %v %v %v", num, err1, err2, err3)
	}
	upem := float64(binary.BigEndian.Uint16(head[18:]))
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	advance := func(gid int) float64 {
		i := min(gid, nh-1)
		if 4*i+2 > len(hmtx) {
			t.Fatalf("font %d: glyph %d beyond hmtx", num, gid)
		}
		return float64(binary.BigEndian.Uint16(hmtx[4*i:])) * 1000 / upem
	}
	widths := map[int]float64{}
	w, err := x.DereferenceArray(cid["W"])
	if err != nil {
		t.Fatal(err)
	}
	number := func(o types.Object) float64 {
		f, err := x.DereferenceNumber(o)
		if err != nil {
			t.Fatalf("font %d: /W %v", num, err)
		}
		return f
	}
	for i := 0; i < len(w); {
		c := int(number(w[i]))
		if arr, ok := w[i+1].(types.Array); ok {
			for j, v := range arr {
				widths[c+j] = number(v)
			}
			i += 2
			continue
		}
		c2 := int(number(w[i+1]))
		for c := c; c <= c2; c++ {
			widths[c] = number(w[i+2])
		}
		i += 3
	}
	dw := 1000.0
	if v, ok := cid["DW"]; ok {
		dw = number(v)
	}
	bad := 0
	for c := 1; 2*c+1 < len(gm.Content); c++ {
		gid := int(binary.BigEndian.Uint16(gm.Content[2*c:]))
		if gid == 0 {
			continue
		}
		want, ok := widths[c]
		if !ok {
			want = dw
		}
		if got := advance(gid); got-want > 1 || want-got > 1 {
			if bad++; bad <= 5 {
				t.Errorf("font %d (%v): CID %d glyph %d: /W %.0f, hmtx %.1f", num, fd["FontName"], c, gid, want, got)
			}
		}
	}
	if bad > 5 {
		t.Errorf("font %d: %d widths disagree with the font program", num, bad)
	}
}

// TestPDFASigned: a rendered letter signed by pdfsign (an incremental
// update: a new catalog with the AcroForm, the signature field and value)
// is still PDF/A-2b as far as checkPDFA sees, and qpdf accepts it. The
// signing itself belongs to casework; this only shows the PDF/A parts
// survive it.
func TestPDFASigned(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	issued := time.Date(2026, 11, 27, 0, 0, 0, 0, rules.China)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "江南市市场监督管理局（测试）"},
		NotBefore: issued.AddDate(-1, 0, 0), NotAfter: issued.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"penalty_decision", "service_receipt"} {
		t.Run(kind, func(t *testing.T) {
			pdf := render(t, kind, SampleData(kind, parties[1]))
			rdr, err := digipdf.NewReader(bytes.NewReader(pdf), int64(len(pdf)))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = sign.Sign(bytes.NewReader(pdf), &out, rdr, int64(len(pdf)), sign.SignData{
				Signature: sign.SignDataSignature{
					Info:     sign.SignDataSignatureInfo{Name: "江南市市场监督管理局", Date: issued},
					CertType: sign.ApprovalSignature,
				},
				Signer: key, DigestAlgorithm: crypto.SHA256, Certificate: cert,
			})
			if err != nil {
				t.Fatalf("sign: %v", err)
			}
			signed := out.Bytes()
			if !bytes.HasPrefix(signed, pdf) {
				t.Fatal("the signature is not an incremental update")
			}
			checkPDFA(t, signed)
			checkQpdf(t, "signed_"+kind, signed)
			if _, err := exec.LookPath("pdfsig"); err == nil {
				p := artifact(t, "pdfa_signed_"+kind+".pdf", signed)
				o, _ := exec.Command("pdfsig", p).CombinedOutput()
				if !bytes.Contains(o, []byte("Signature is Valid")) {
					t.Errorf("pdfsig:\n%s", o)
				}
			}
		})
	}
}
