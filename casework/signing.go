package casework

// The digital signature of issued documents (docs/signing.md): every PDF
// issuing stores is signed first (a PAdES-style detached CMS signature,
// SHA-256, ECDSA P-256 or RSA) with its authority's certificate and key, so that the
// stored bytes, their SHA-256 and the signature are one thing; the verify
// page checks the stored document's signature and an uploaded copy's.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"sync"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
)

// TestCertificateUnit is the organisational unit of the self-signed
// certificate the service makes for an authority without one: the verify
// page reads it from the certificate and says 测试证书.
const TestCertificateUnit = "测试证书（仅供测试，不具法律效力）"

// MaxPKCS12Bytes bounds an uploaded PKCS #12 file.
const MaxPKCS12Bytes = 1 << 20

// signer is an authority's signing key, opened.
type signer struct {
	row   *models.SigningKey
	cert  *x509.Certificate
	chain []*x509.Certificate
	key   crypto.Signer // *rsa.PrivateKey or deterministicECDSA
}

// deterministicECDSA signs with RFC 6979 nonces (crypto/ecdsa, a nil
// reader): the same key and digest always give the same signature, as
// issuing's reproducible bytes require. pkcs7 passes crypto/rand's reader,
// which an ECDSA key would use for a random nonce.
type deterministicECDSA struct{ k *ecdsa.PrivateKey }

func (d deterministicECDSA) Public() crypto.PublicKey { return d.k.Public() }

func (d deterministicECDSA) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return d.k.Sign(nil, digest, opts)
}

// signingKey is k as issuing signs with it: RSA (PKCS #1 v1.5 is
// deterministic) or ECDSA with RFC 6979; nil for another kind.
func signingKey(k any) crypto.Signer {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k
	case *ecdsa.PrivateKey:
		return deterministicECDSA{k}
	}
	return nil
}

// signers caches the opened keys per authority, each under the stored
// row's fingerprint and time (a key replaced on another replica is seen
// at the next issue, which reads the row).
type signers struct{ m sync.Map } // authority id → *signer

// signPDF signs document bytes pdfBytes of authority au as issued at at
// (the signing time, so that the same document and key always sign to the
// same bytes).
func (s *Service) signPDF(ctx context.Context, au *models.Authority, pdfBytes []byte, at time.Time) ([]byte, error) {
	sg, err := s.signerAt(ctx, au, at)
	if err != nil {
		return nil, err
	}
	return s.signWith(sg, au.Name, pdfBytes, at)
}

// signWith signs pdfBytes with the opened key sg in the name of authority
// name at at.
func (s *Service) signWith(sg *signer, name string, pdfBytes []byte, at time.Time) ([]byte, error) {
	rdr, err := pdf.NewReader(bytes.NewReader(pdfBytes), int64(len(pdfBytes)))
	if err != nil {
		return nil, errs.Wrap(err, "read PDF to sign")
	}
	var out bytes.Buffer
	sd := sign.SignData{
		Signature: sign.SignDataSignature{
			CertType:   sign.CertificationSignature,
			DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
			Info:       sign.SignDataSignatureInfo{Name: name, Reason: "签发", Date: at.UTC()},
		},
		Signer:          sg.key,
		DigestAlgorithm: crypto.SHA256,
		Certificate:     sg.cert,
		TSA:             sign.TSA{URL: s.tsaURL},
	}
	if len(sg.chain) > 0 {
		sd.CertificateChains = [][]*x509.Certificate{append([]*x509.Certificate{sg.cert}, sg.chain...)}
	}
	if err := sign.Sign(bytes.NewReader(pdfBytes), &out, rdr, int64(len(pdfBytes)), sd); err != nil {
		return nil, errs.Wrap(err, "sign PDF")
	}
	return out.Bytes(), nil
}

// checkSigner refuses, before issuing takes a number, an issue that the
// authority's certificate could not sign at at: an expired certificate
// found only when signing left the number taken and the document not
// issued, and a resumed issue signs at the time its number was taken, so
// a certificate uploaded later (valid only from then) never completed it.
// The key the last signing opened answers without a query.
func (s *Service) checkSigner(ctx context.Context, authorityID uint, at time.Time) error {
	if v, ok := s.signers.m.Load(authorityID); ok {
		if c := v.(*signer).cert; !at.Before(c.NotBefore) && !at.After(c.NotAfter) {
			return nil // a key replaced since is read when signing
		}
	}
	au, err := s.store.Authority(ctx, authorityID)
	if err != nil {
		return err
	}
	_, err = s.signerAt(ctx, au, at)
	return err
}

// signerAt is authority au's opened key if its certificate is valid at
// at, the time it is to sign at.
func (s *Service) signerAt(ctx context.Context, au *models.Authority, at time.Time) (*signer, error) {
	sg, err := s.signerFor(ctx, au)
	if err != nil {
		return nil, err
	}
	if at.Before(sg.cert.NotBefore) || at.After(sg.cert.NotAfter) {
		return nil, errs.E(errs.Conflict, "执法机关的签名证书不在有效期内（%s至%s），不能签发；请管理员上传新的证书",
			sg.cert.NotBefore.In(rules.China).Format("2006-01-02"), sg.cert.NotAfter.In(rules.China).Format("2006-01-02"))
	}
	return sg, nil
}

// signerFor is authority au's opened key; an authority without one gets a
// self-signed test certificate, made and stored now.
func (s *Service) signerFor(ctx context.Context, au *models.Authority) (*signer, error) {
	row, err := s.store.SigningKey(ctx, au.ID)
	if err != nil {
		return nil, err
	}
	if row == nil {
		if row, err = s.makeTestKey(ctx, au); err != nil {
			return nil, err
		}
	}
	if v, ok := s.signers.m.Load(au.ID); ok {
		if sg := v.(*signer); sg.row.Fingerprint == row.Fingerprint && sg.row.UpdatedAt.Equal(row.UpdatedAt) {
			return sg, nil
		}
	}
	sg, err := s.openKey(row)
	if err != nil {
		return nil, err
	}
	s.signers.m.Store(au.ID, sg)
	return sg, nil
}

func (s *Service) openKey(row *models.SigningKey) (*signer, error) {
	cert, err := x509.ParseCertificate(row.CertDER)
	if err != nil {
		return nil, errs.Wrap(err, "parse signing certificate of authority %d", row.AuthorityID)
	}
	var chain []*x509.Certificate
	if len(row.ChainDER) > 0 {
		if chain, err = x509.ParseCertificates(row.ChainDER); err != nil {
			return nil, errs.Wrap(err, "parse certificate chain of authority %d", row.AuthorityID)
		}
	}
	der, err := s.openSealed(row.AuthorityID, row.Fingerprint, row.KeySealed)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errs.Wrap(err, "parse signing key of authority %d", row.AuthorityID)
	}
	key := signingKey(k)
	if key == nil {
		return nil, errs.E(errs.Internal, "signing key of authority %d is %T, neither RSA nor ECDSA", row.AuthorityID, k)
	}
	return &signer{row: row, cert: cert, chain: chain, key: key}, nil
}

// sealAAD binds a sealed key to its authority and certificate.
func sealAAD(authorityID uint, fingerprint string) []byte {
	return []byte("penaltydoc signing key|" + strconv.FormatUint(uint64(authorityID), 10) + "|" + fingerprint)
}

// sealKey encrypts a PKCS #8 key with AES-256-GCM under the current key
// derived from the server secret: nonce ‖ ciphertext.
func (s *Service) sealKey(authorityID uint, fingerprint string, der []byte) ([]byte, error) {
	g, err := gcm(s.codes.SealKeys()[0])
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, errs.Wrap(err, "seal signing key")
	}
	return g.Seal(nonce, nonce, der, sealAAD(authorityID, fingerprint)), nil
}

// openSealed decrypts a sealed key under any of the server secrets (a
// previous one still opens what it sealed).
func (s *Service) openSealed(authorityID uint, fingerprint string, sealed []byte) ([]byte, error) {
	for _, k := range s.codes.SealKeys() {
		g, err := gcm(k)
		if err != nil {
			return nil, err
		}
		if len(sealed) < g.NonceSize() {
			break
		}
		if der, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], sealAAD(authorityID, fingerprint)); err == nil {
			return der, nil
		}
	}
	return nil, errs.E(errs.Internal, "执法机关的签名私钥无法解密（服务器密钥已更换？请重新上传证书）")
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, errs.Wrap(err, "signing key cipher")
	}
	return cipher.NewGCM(b)
}

func fingerprint(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

// makeTestKey makes and stores a self-signed test certificate for au
// (ECDSA P-256, 20 years), marked TestCertificateUnit. P-256 rather than
// RSA 2048: a signature costs ~0.1 ms of CPU instead of ~1.5 ms (two per
// issue), and the certificate is 40 % smaller (docs/performance.md, ecdsa).
func (s *Service) makeTestKey(ctx context.Context, au *models.Authority) (*models.SigningKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, errs.Wrap(err, "make test signing key")
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, errs.Wrap(err, "make test certificate")
	}
	now := s.store.Now().UTC()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: au.Name, Organization: []string{au.Name},
			OrganizationalUnit: []string{TestCertificateUnit}, Country: []string{"CN"}},
		// From well before: a resumed issue signs with the time its number
		// was taken.
		NotBefore:             now.AddDate(0, 0, -30),
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, errs.Wrap(err, "make test certificate")
	}
	row, err := s.keyRow(au.ID, der, nil, key)
	if err != nil {
		return nil, err
	}
	return s.store.AddTestSigningKey(ctx, row)
}

func (s *Service) keyRow(authorityID uint, certDER, chainDER []byte, key crypto.PrivateKey) (*models.SigningKey, error) {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, errs.Wrap(err, "parse certificate")
	}
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errs.Wrap(err, "encode signing key")
	}
	fp := fingerprint(certDER)
	sealed, err := s.sealKey(authorityID, fp, p8)
	if err != nil {
		return nil, err
	}
	return &models.SigningKey{AuthorityID: authorityID, CertDER: certDER, ChainDER: chainDER, KeySealed: sealed,
		Subject: subjectName(cert), Fingerprint: fp, NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC()}, nil
}

// subjectName is how a certificate's holder is shown: its common name, or
// organisation, or the whole subject.
func subjectName(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return c.Subject.CommonName
	case len(c.Subject.Organization) > 0:
		return c.Subject.Organization[0]
	}
	return c.Subject.String()
}

// isTestCertificate reports whether c is a test certificate the service made.
func isTestCertificate(c *x509.Certificate) bool {
	for _, u := range c.Subject.OrganizationalUnit {
		if u == TestCertificateUnit {
			return true
		}
	}
	return false
}

// Errors of the PKCS #12 upload.
var (
	ErrPKCS12Password = errs.E(errs.Invalid, "证书密码错误：无法用该密码打开PKCS#12文件")
	ErrPKCS12Format   = errs.E(errs.Invalid, "不是有效的PKCS#12证书文件（.p12/.pfx），或文件已损坏")
)

// SigningCertificate is what an admin sees of authority id's signing key:
// the certificate's facts (never the key); nil when none is stored yet
// (the first issue makes a test certificate).
func (s *Service) SigningCertificate(ctx context.Context, a Actor, id uint) (*models.SigningKey, error) {
	if _, err := s.Authority(ctx, a, id); err != nil {
		return nil, err
	}
	k, err := s.store.SigningKey(ctx, id)
	if k != nil {
		k.KeySealed = nil
	}
	return k, err
}

// SigningCertificatePEM is authority id's signing certificate in PEM; not
// found while it has none (a GET makes no key: the first issue makes the
// test certificate).
func (s *Service) SigningCertificatePEM(ctx context.Context, a Actor, id uint) ([]byte, error) {
	if _, err := s.Authority(ctx, a, id); err != nil {
		return nil, err
	}
	row, err := s.store.SigningKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if row == nil {
		return nil, errs.E(errs.NotFound, "本机关尚无签名证书：签发第一份文书时将生成测试证书，或由管理员上传本机关的证书")
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: row.CertDER}), nil
}

// UploadSigningKey stores the certificate and key of PKCS #12 file p12
// (opened with password, which is not kept) as authority id's signing key,
// replacing the one before. The key must be RSA (at least 2048 bits) or
// ECDSA (P-256, P-384, P-521), match the certificate, and the certificate
// be valid today.
func (s *Service) UploadSigningKey(ctx context.Context, a Actor, id uint, p12 []byte, password string) (*models.SigningKey, error) {
	if !a.Has(rules.RoleAdmin) {
		return nil, errs.E(errs.Forbidden, "只有管理员可以上传签名证书")
	}
	if _, err := s.Authority(ctx, a, id); err != nil {
		return nil, err
	}
	if len(p12) == 0 {
		return nil, errs.E(errs.Invalid, "请选择PKCS#12证书文件（.p12/.pfx）")
	}
	if len(p12) > MaxPKCS12Bytes {
		return nil, errs.E(errs.Invalid, "证书文件过大（不超过1 MB）")
	}
	k, cert, chain, err := pkcs12.DecodeChain(p12, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrPKCS12Password
		}
		return nil, ErrPKCS12Format
	}
	if err := checkUploadedKey(k, cert); err != nil {
		return nil, err
	}
	now := s.store.Now()
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return nil, errs.E(errs.Invalid, "证书不在有效期内（%s至%s）",
			cert.NotBefore.In(rules.China).Format("2006-01-02"), cert.NotAfter.In(rules.China).Format("2006-01-02"))
	}
	var chainDER []byte
	for _, c := range chain {
		chainDER = append(chainDER, c.Raw...)
	}
	row, err := s.keyRow(id, cert.Raw, chainDER, k)
	if err != nil {
		return nil, err
	}
	if err := s.store.PutSigningKey(ctx, a.record(), row); err != nil {
		return nil, err
	}
	s.signers.m.Delete(id)
	row.KeySealed = nil
	return row, nil
}

// checkUploadedKey refuses a key issuing cannot sign with: not RSA or
// ECDSA, RSA under 2048 bits, ECDSA on a curve other than P-256, P-384 or
// P-521, or not the key of cert.
func checkUploadedKey(k any, cert *x509.Certificate) error {
	type public interface{ Equal(crypto.PublicKey) bool }
	switch k := k.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return errs.E(errs.Invalid, "RSA密钥长度不足（至少2048位）")
		}
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return errs.E(errs.Invalid, "不支持该ECDSA曲线（仅支持P-256、P-384、P-521）")
		}
	default:
		return errs.E(errs.Invalid, "仅支持RSA或ECDSA密钥的证书（签名须可重现）；该文件的密钥类型为%T", k)
	}
	pub, ok := k.(crypto.Signer).Public().(public)
	if !ok || !pub.Equal(cert.PublicKey) {
		return errs.E(errs.Invalid, "证书文件中的证书与私钥不匹配")
	}
	return nil
}

// signIssued signs what issuing rendered (the document and its receipt)
// with the authority's key, as issued at the document's issue time.
func (s *Service) signIssued(ctx context.Context, dc *models.DocumentContext, out *models.Rendered) error {
	at := time.Now()
	if dc.Document.IssuedAt != nil {
		at = *dc.Document.IssuedAt
	}
	au := dc.Authority
	if au == nil {
		var err error
		if au, err = s.store.Authority(ctx, dc.Document.AuthorityID); err != nil {
			return err
		}
	}
	sg, err := s.signerAt(ctx, au, at) // one key for the document and its receipt
	if err != nil {
		return err
	}
	if out.PDF, err = s.signWith(sg, au.Name, out.PDF, at); err != nil {
		return err
	}
	if out.Receipt != nil {
		if out.Receipt.PDF, err = s.signWith(sg, au.Name, out.Receipt.PDF, at); err != nil {
			return fmt.Errorf("sign service receipt: %w", err)
		}
	}
	return nil
}
