package casework

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	"github.com/digitorus/pkcs7"

	"penaltydoc/rules"
)

// The attacks below are on CheckSignature and checkFile, which read what
// anyone uploads to the verify page's check: they must not panic, must
// not exhaust the stack, and must never call a forged or altered copy the
// issued document.

// signedSample is a document signed with its authority's (test) key, the
// bytes it signed, and that authority's name.
func signedSample(t *testing.T) (signed, unsigned []byte, authority string) {
	t.Helper()
	e := newEnv(t, envDB.DSNs(t)[0])
	ctx := context.Background()
	au, err := e.store.Authority(ctx, e.actors[rules.RoleClerk].Home())
	e.must(err)
	unsigned, err = e.work.AuthorityPreview(ctx, signingAdmin, au.ID)
	e.must(err)
	e.at("2026-11-02")
	signed, err = e.work.signPDF(ctx, au, unsigned, e.now)
	e.must(err)
	if c := CheckSignature(signed); !c.Valid {
		t.Fatalf("the sample does not check valid: %+v", c)
	}
	return signed, unsigned, au.Name
}

// verificationOf is what the verify page knows of the issued document
// stored as file.
func verificationOf(file []byte, authority string) *Verification {
	h := sha256.Sum256(file)
	return &Verification{Authority: authority, SHA256: hex.EncodeToString(h[:]), Signature: CheckSignature(file)}
}

// fakeSigned is a file whose one /ByteRange is br (fixed-width numbers,
// so that the caller can point them anywhere) around contents.
func fakeSigned(contents string, br func(start, end, total int) [4]int) []byte {
	const head = "%%PDF-1.4\n1 0 obj\n<</Type /Sig /ByteRange [%020d %020d %020d %020d] /Contents "
	tail := ">>\nendobj\n%%EOF\n"
	start := len(fmt.Sprintf(head, 0, 0, 0, 0))
	end := start + len(contents)
	total := end + len(tail)
	r := br(start, end, total)
	return []byte(fmt.Sprintf(head, r[0], r[1], r[2], r[3]) + contents + tail)
}

func TestCheckSignatureHostileByteRange(t *testing.T) {
	const maxInt = int(^uint(0) >> 1)
	hole := "<" + strings.Repeat("00", 64) + ">"
	cases := map[string][4]int{
		"sum wraps around":       {0, 10, maxInt, 1},
		"end past the file":      {0, 10, 1 << 40, 0},
		"second range too long":  {0, 10, 20, maxInt},
		"hole before the start":  {0, 0, 10, 10},
		"not from the beginning": {5, 10, 20, 10},
		"hole reversed":          {0, 20, 10, 10},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			file := fakeSigned(hole, func(int, int, int) [4]int { return r })
			c := CheckSignature(file) // a panic fails the test
			if c.Valid || !c.Signed || c.Problem == "" {
				t.Fatalf("%v: %+v, want a problem", r, c)
			}
		})
	}
}

// TestCheckSignatureDeepCMS: a /Contents of nested indefinite-length BER
// (two bytes a level) made the BER reader recurse once a level: a 20 MB
// upload is five million levels, past Go's stack limit, a fatal error no
// recover catches (the whole server stops).
func TestCheckSignatureDeepCMS(t *testing.T) {
	span := func(start, end, total int) [4]int { return [4]int{0, start, end, total - end} }
	huge := fakeSigned("<"+strings.Repeat("3080", (MaxCheckBytes-200)/4)+">", span) // an upload's 20 MB
	began := time.Now()
	if c := CheckSignature(huge); c.Valid || c.Problem == "" {
		t.Fatalf("a huge nested /Contents: %+v", c)
	}
	// Within the size an issued signature may take: the nesting is
	// refused by depth, not followed.
	const levels = 60_000 // 240 KB: under the size limit
	deep := strings.Repeat("3080", levels) + strings.Repeat("0000", levels)
	if c := CheckSignature(fakeSigned("<"+deep+">", span)); c.Valid || c.Problem == "" {
		t.Fatalf("a deeply nested /Contents: %+v", c)
	}
	der, _ := hex.DecodeString(deep)
	if _, err := pkcs7.Parse(der); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Fatalf("pkcs7.Parse of %d nested levels: %v, want the nesting refused", levels, err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("the checks took %v", d)
	}
}

// TestCheckSignatureManyByteRanges: a file of nothing but /ByteRange
// entries costs no memory for each (all matches were collected: 42 MB
// for this 4.2 MB file, some 0.2 GB for a 20 MB upload).
func TestCheckSignatureManyByteRanges(t *testing.T) {
	file := bytes.Repeat([]byte("/ByteRange [0 1 2 3]\n"), 200_000) // 4.2 MB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := CheckSignature(file)
	runtime.ReadMemStats(&after)
	if c.Valid {
		t.Fatalf("%+v", c)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(file)) {
		t.Errorf("checking a %d-byte file allocated %d bytes", len(file), n)
	}
}

// TestCheckSignatureGarbled: truncated and garbled copies of a signed
// document never panic and never check valid.
func TestCheckSignatureGarbled(t *testing.T) {
	signed, _, _ := signedSample(t)
	m := lastByteRange(signed)
	if m == nil {
		t.Fatal("no /ByteRange")
	}
	holeStart := bytes.Index(signed[m[1]:], []byte("/Contents")) + m[1]
	var hole [2]int // the /Contents the ByteRange leaves out
	fmt.Sscan(string(signed[m[4]:m[5]]), &hole[0])
	fmt.Sscan(string(signed[m[6]:m[7]]), &hole[1])
	rng := mrand.New(mrand.NewPCG(14, 14))
	for i := 0; i < 300; i++ {
		f := bytes.Clone(signed)
		switch i % 4 {
		case 0: // truncated anywhere
			f = f[:rng.IntN(len(f))]
		case 1: // bytes of the signature's hex garbled
			for range 1 + rng.IntN(8) {
				f[holeStart+12+rng.IntN(2000)] = "0123456789abcdef"[rng.IntN(16)]
			}
		case 2: // the ByteRange's digits changed
			j := m[2] + rng.IntN(m[9]-m[2])
			if f[j] >= '0' && f[j] <= '9' {
				f[j] = byte('0' + rng.IntN(10))
			}
		case 3: // any byte
			f[rng.IntN(len(f))] ^= byte(1 + rng.IntN(255))
		}
		c := CheckSignature(f) // a panic fails the test
		// Within the signature's /Contents only the CMS's own parts change
		// (its certificate's, say, which that check does not trust): the
		// signed bytes are the same. Anything else must fail the check.
		if bytes.Equal(f, signed) || len(f) == len(signed) && bytes.Equal(f[:hole[0]], signed[:hole[0]]) && bytes.Equal(f[hole[1]:], signed[hole[1]:]) {
			continue
		}
		if c.Valid {
			t.Fatalf("case %d: an altered copy checks valid: %+v", i, c)
		}
	}
}

// FuzzCheckSignature: go test ./casework -run '^$' -fuzz FuzzCheckSignature
func FuzzCheckSignature(f *testing.F) {
	f.Add([]byte("/ByteRange [0 10 20 30] /Contents <3082>"))
	f.Add(fakeSigned("<3080308000000000>", func(s, e, n int) [4]int { return [4]int{0, s, e, n - e} }))
	f.Fuzz(func(t *testing.T, b []byte) {
		if c := CheckSignature(b); c.Valid {
			t.Fatalf("random bytes check valid: %+v", c)
		}
	})
}

// resign signs file (already signed or not) with a new key whose
// certificate names the same holder as the authority's test certificate.
func resign(t *testing.T, file []byte, authority string) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: authority, Organization: []string{authority},
		OrganizationalUnit: []string{TestCertificateUnit}, Country: []string{"CN"}},
		NotBefore: time.Now().AddDate(-1, 0, 0), NotAfter: time.Now().AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	rdr, err := pdf.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := sign.Sign(bytes.NewReader(file), &out, rdr, int64(len(file)), sign.SignData{
		Signature:   sign.SignDataSignature{CertType: sign.ApprovalSignature, Info: sign.SignDataSignatureInfo{Name: authority, Date: time.Now()}},
		Signer:      key,
		Certificate: cert, DigestAlgorithm: crypto.SHA256,
	}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestCheckFileForgeries: copies made from an issued document never check
// as it, nor as another document of its authority.
func TestCheckFileForgeries(t *testing.T) {
	signed, unsigned, authority := signedSample(t)
	v := verificationOf(signed, authority)
	if fc := checkFile(v, signed); !fc.SameBytes || !fc.Signature.Valid || !fc.SameSigner || !strings.HasPrefix(fc.Verdict, "一致") {
		t.Fatalf("the document itself: %+v", fc)
	}

	// An incremental update after signing (a new page content, say):
	// the signature still verifies over what it covers.
	update := fmt.Appendf(nil, "\n99 0 obj\n<</Length 9>>\nstream\nBT ET q Q\nendstream\nendobj\ntrailer\n<</Size 100 /Prev %d>>\n%%%%EOF\n", bytes.LastIndex(signed, []byte("startxref")))
	appended := append(bytes.Clone(signed), update...)
	// The same with a /ByteRange of its own claiming to cover it all.
	br := lastByteRange(signed)
	var r [4]int
	for i := range r {
		fmt.Sscan(string(signed[br[2+2*i]:br[3+2*i]]), &r[i])
	}
	claim := fmt.Appendf(bytes.Clone(signed), "\n98 0 obj\n<</Type /Sig /ByteRange [0 %d %d %010d]>>\nendobj\n%%%%EOF\n", r[1], r[2], 0)
	tail := len(claim) - r[2]
	claim = bytes.Replace(claim, fmt.Appendf(nil, "%010d]>>", 0), fmt.Appendf(nil, "%010d]>>", tail), 1)
	// The bytes the authority signed, signed again by a certificate of
	// the same name (and marked as a test certificate like the
	// authority's own).
	sameName := resign(t, unsigned, authority)
	// The issued document with a second signature by that certificate
	// over the whole file.
	countersigned := resign(t, signed, authority)
	// The signature's padding (hex zeros after the CMS) changed: the
	// signed bytes are the same.
	padded := bytes.Clone(signed)
	end := r[2] - 2 // the last hex digit before '>'
	padded[end] = '1'
	for name, f := range map[string][]byte{"appended update": appended, "appended update with its own /ByteRange": claim,
		"same holder's name": sameName, "countersigned": countersigned, "padding changed": padded} {
		t.Run(name, func(t *testing.T) {
			fc := checkFile(v, f)
			if fc.SameBytes {
				t.Fatal("the same bytes")
			}
			if strings.HasPrefix(fc.Verdict, "一致") {
				t.Fatalf("checks as the issued document: %+v", fc)
			}
			if name == "padding changed" {
				if !fc.Signature.Valid || !fc.SameSigner {
					t.Fatalf("the signed bytes unchanged: %+v", fc)
				}
				return
			}
			if fc.Signature.Valid && fc.SameSigner {
				t.Fatalf("checks as validly signed by the authority: %+v", fc)
			}
			if strings.Contains(fc.Verdict, "签名人与本文书相同") {
				t.Fatalf("verdict: %s", fc.Verdict)
			}
		})
	}
	// The copies made with another key are valid signatures: what the
	// page shows of them says the certificate differs.
	if fc := checkFile(v, sameName); !fc.Signature.Valid || fc.Signature.Fingerprint == v.Signature.Fingerprint {
		t.Fatalf("same name: %+v", fc.Signature)
	}
}

// TestCheckFileUnsigned: a document issued before signing was introduced
// has no signature; its exact bytes are still the document.
func TestCheckFileUnsigned(t *testing.T) {
	_, unsigned, authority := signedSample(t)
	v := verificationOf(unsigned, authority)
	if v.Signature.Signed {
		t.Fatalf("the unsigned sample: %+v", v.Signature)
	}
	if fc := checkFile(v, unsigned); !fc.SameBytes || !strings.HasPrefix(fc.Verdict, "一致") {
		t.Fatalf("the exact bytes of an unsigned document: %+v", fc)
	}
	changed := bytes.Clone(unsigned)
	changed[len(changed)/2] ^= 1
	if fc := checkFile(v, changed); fc.SameBytes || !strings.HasPrefix(fc.Verdict, "不一致") {
		t.Fatalf("a changed copy of an unsigned document: %+v", fc)
	}
}

// TestSignatureNamesEscaped: the signature dictionary's /Name (the
// authority's name) and /Reason are UTF-16 text; written as literal
// strings unescaped, a byte 0x29 ")" (利 is U+5229: 水利局) ended the
// string early and broke the dictionary, and 0x5C "\" (局, U+5C40) was
// taken as an escape and dropped.
func TestSignatureNamesEscaped(t *testing.T) {
	e := newEnv(t, envDB.DSNs(t)[0])
	ctx := context.Background()
	au, err := e.store.Authority(ctx, e.actors[rules.RoleClerk].Home())
	e.must(err)
	unsigned, err := e.work.AuthorityPreview(ctx, signingAdmin, au.ID)
	e.must(err)
	named := *au
	named.Name = "示例县水利局（测试）"
	e.at("2026-11-02")
	signed, err := e.work.signPDF(ctx, &named, unsigned, e.now)
	e.must(err)
	if out, ok := pdfsig(t, signed); ok && (!strings.Contains(out, "Signature is Valid") || !strings.Contains(out, named.Name)) {
		t.Errorf("pdfsig:\n%s", out)
	}
	if qpdf, err := exec.LookPath("qpdf"); err == nil {
		f := t.TempDir() + "/signed.pdf"
		e.must(os.WriteFile(f, signed, 0o600))
		if out, err := exec.Command(qpdf, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, out)
		}
	}
	i := bytes.LastIndex(signed, []byte("/Type /Sig"))
	j := bytes.Index(signed[i:], []byte("endobj"))
	dict := signed[i : i+j]
	for key, want := range map[string]string{"/Name ": named.Name, "/Reason ": "签发"} {
		k := bytes.Index(dict, []byte(key))
		if k < 0 {
			t.Fatalf("no %s in the signature dictionary:\n%q", key, dict)
		}
		v := dict[k+len(key):]
		if v[0] != '<' || bytes.IndexByte(v, '>') < 0 {
			t.Fatalf("%s is not a hex string: %q", key, v[:min(len(v), 40)])
		}
		raw, err := hex.DecodeString(string(v[1:bytes.IndexByte(v, '>')]))
		if err != nil || len(raw) < 2 || raw[0] != 0xFE || raw[1] != 0xFF {
			t.Fatalf("%s: %x %v", key, raw, err)
		}
		var got []rune
		for p := 2; p+1 < len(raw); p += 2 {
			got = append(got, rune(raw[p])<<8|rune(raw[p+1]))
		}
		if string(got) != want {
			t.Errorf("%s is %q, want %q", key, string(got), want)
		}
	}
}
