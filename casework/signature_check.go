package casework

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"regexp"
	"strconv"
	"time"

	"github.com/digitorus/pkcs7"

	"penaltydoc/models"
	"penaltydoc/rules"
)

// SignatureCheck is what checking a PDF's digital signature found.
type SignatureCheck struct {
	// Signed: the file carries a signature at all.
	Signed bool `json:"signed"`
	// Valid: the signature is intact and covers the whole file (nothing
	// was changed or appended after signing).
	Valid bool `json:"valid"`
	// Signer is the certificate holder, SignedAt the signing time (China
	// time, 2006-01-02 15:04:05), Fingerprint the SHA-256 of the signer's
	// certificate.
	Signer      string `json:"signer,omitempty"`
	SignedAt    string `json:"signed_at,omitempty"`
	Fingerprint string `json:"certificate_sha256,omitempty"`
	// TestCertificate: signed with the self-signed test certificate of a
	// test install (测试证书), not the authority's own.
	TestCertificate bool `json:"test_certificate"`
	// Problem says why the signature is not valid (Chinese).
	Problem string `json:"problem,omitempty"`
}

// maxSignatureBytes bounds the CMS object of a signature checked (a
// signature of an issued document, with its certificate chain and a
// timestamp token, is a few kilobytes): an uploaded copy's /Contents is
// not decoded and parsed whatever its size.
const maxSignatureBytes = 256 << 10

var byteRangeRE = regexp.MustCompile(`^/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// lastByteRange is the last /ByteRange entry of file: the submatch
// indexes of byteRangeRE, nil if there is none. It walks back from the
// end, so that a file of many such entries costs no memory for each.
func lastByteRange(file []byte) []int {
	key := []byte("/ByteRange")
	for end := len(file); ; {
		i := bytes.LastIndex(file[:end], key)
		if i < 0 {
			return nil
		}
		if m := byteRangeRE.FindSubmatchIndex(file[i:]); m != nil {
			for j := range m {
				m[j] += i
			}
			return m
		}
		end = i
	}
}

// CheckSignature validates the last signature of file: its /ByteRange
// must cover the whole file but the /Contents, and the CMS signature in
// the /Contents must verify over those bytes with the certificate it
// carries. Trust in that certificate is the caller's (the verify page
// compares it with the stored document's).
func CheckSignature(file []byte) SignatureCheck {
	m := lastByteRange(file)
	if m == nil {
		return SignatureCheck{Problem: "文件没有数字签名"}
	}
	var br [4]int
	for i := range br {
		n, err := strconv.Atoi(string(file[m[2+2*i]:m[3+2*i]]))
		if err != nil {
			return SignatureCheck{Signed: true, Problem: "签名的字节范围无法读取"}
		}
		br[i] = n
	}
	c := SignatureCheck{Signed: true}
	// Each bound on its own: a sum of two huge numbers wraps around.
	if br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[2] > len(file) || br[3] < 0 || br[3] > len(file)-br[2] {
		c.Problem = "签名的字节范围无效"
		return c
	}
	raw := file[br[1]:br[2]]
	if len(raw) < 2 || raw[0] != '<' || raw[len(raw)-1] != '>' {
		c.Problem = "签名内容无法读取"
		return c
	}
	if len(raw) > 2*maxSignatureBytes+2 {
		c.Problem = "签名内容过大，不是本系统签发的文书签名"
		return c
	}
	der := make([]byte, hex.DecodedLen(len(raw)-2))
	if _, err := hex.Decode(der, raw[1:len(raw)-1]); err != nil {
		c.Problem = "签名内容无法读取"
		return c
	}
	var v asn1.RawValue // the CMS object, without the placeholder's padding
	if rest, err := asn1.Unmarshal(der, &v); err == nil {
		der = der[:len(der)-len(rest)]
	}
	p7, err := pkcs7.Parse(der)
	if err != nil {
		c.Problem = "签名内容无法解析"
		return c
	}
	signed := make([]byte, 0, br[1]+br[3])
	signed = append(append(signed, file[:br[1]]...), file[br[2]:br[2]+br[3]]...)
	p7.Content = signed
	if cert := p7.GetOnlySigner(); cert != nil {
		c.Signer, c.TestCertificate = subjectName(cert), isTestCertificate(cert)
		c.Fingerprint = fingerprint(cert.Raw)
	}
	var at time.Time
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &at); err == nil {
		c.SignedAt = at.In(rules.China).Format("2006-01-02 15:04:05")
	}
	if c.Fingerprint == "" {
		c.Problem = "签名中没有签名人证书"
		return c
	}
	if err := p7.Verify(); err != nil {
		c.Problem = "签名校验失败：文件在签名后被修改过，或签名已损坏"
		return c
	}
	if br[2]+br[3] != len(file) {
		c.Problem = "文件在签名之后被追加了内容，签名未覆盖整个文件"
		return c
	}
	c.Valid = true
	return c
}

// documentSignature checks the signature of an issued document's stored
// bytes.
func (s *Service) documentSignature(ctx context.Context, doc *models.Document) (SignatureCheck, error) {
	d, err := s.store.DocumentPDF(ctx, models.Everything, doc.ID)
	if err != nil {
		return SignatureCheck{}, err
	}
	return CheckSignature(d.PDF), nil
}

// FileCheck is what checking an uploaded copy against an issued document
// found: whether it is the same bytes and whether its own signature is
// valid and by the document's signer.
type FileCheck struct {
	SHA256     string         `json:"sha256"`
	SameBytes  bool           `json:"same_bytes"`
	Signature  SignatureCheck `json:"signature"`
	SameSigner bool           `json:"same_signer"`
	Verdict    string         `json:"verdict"`
}

// MaxCheckBytes bounds a file uploaded to the verify page's check.
const MaxCheckBytes = 20 << 20

// CheckFile checks file, a copy someone holds, against the issued document
// of verify token token. The file is not kept.
func (s *Service) CheckFile(ctx context.Context, token string, file []byte) (*Verification, *FileCheck, error) {
	v, err := s.Verify(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	return v, checkFile(v, file), nil
}

// checkFile checks file against the issued document v.
func checkFile(v *Verification, file []byte) *FileCheck {
	h := sha256.Sum256(file)
	fc := &FileCheck{SHA256: hex.EncodeToString(h[:]), Signature: CheckSignature(file)}
	fc.SameBytes = fc.SHA256 == v.SHA256
	fc.SameSigner = v.Signature.Valid && fc.Signature.Fingerprint == v.Signature.Fingerprint
	switch {
	case fc.SameBytes && fc.Signature.Valid && fc.Signature.TestCertificate:
		fc.Verdict = "一致：该文件与签发的文书完全相同，数字签名完好；签名所用的是系统自动生成的测试证书，该数字签名不具法律效力。"
	case fc.SameBytes && fc.Signature.Valid:
		fc.Verdict = "一致：该文件与签发的文书完全相同，数字签名有效。"
	case fc.SameBytes && !fc.Signature.Signed: // issued before documents were signed
		fc.Verdict = "一致：该文件与签发的文书完全相同（该文书签发于数字签名启用之前，没有数字签名）。"
	case fc.SameBytes:
		fc.Verdict = "该文件与本系统保存的文书完全相同，但其数字签名无效（" + fc.Signature.Problem + "），请联系" + v.Authority + "核实。"
	case fc.Signature.Valid && fc.SameSigner:
		fc.Verdict = "该文件的数字签名有效、签名人与本文书相同，但文件与本文书不同：可能是该机关签发的另一份文书。"
	case fc.Signature.Signed && !fc.Signature.Valid:
		fc.Verdict = "不一致：该文件的数字签名无效（" + fc.Signature.Problem + "），文件可能被修改过。"
	default:
		fc.Verdict = "不一致：该文件与签发的文书不同，可能被修改过。"
	}
	return fc
}
