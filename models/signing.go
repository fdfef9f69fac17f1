package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"penaltydoc/errs"
)

// SigningKey is an authority's signing certificate and private key, with
// which every document it issues is signed (docs/signing.md). The key is
// stored sealed (AES-256-GCM under a key derived from the server secret,
// which the database does not hold); it never leaves the server.
type SigningKey struct {
	AuthorityID uint   `gorm:"primaryKey;autoIncrement:false" json:"authority_id"`
	CertDER     []byte `gorm:"type:longblob" json:"-"`
	// ChainDER is the certificates above it (intermediates), DER one after
	// another, as the PKCS #12 file had them.
	ChainDER []byte `gorm:"type:longblob" json:"-"`
	// KeySealed is nonce ‖ AES-GCM(PKCS #8 of the key); json never.
	KeySealed []byte `gorm:"type:blob" json:"-"`
	// SelfSigned marks the test certificate the service made itself.
	SelfSigned  bool      `gorm:"not null;default:false" json:"self_signed"`
	Subject     string    `gorm:"size:500;not null;default:''" json:"subject"`
	Fingerprint string    `gorm:"size:64;not null;default:''" json:"fingerprint"` // SHA-256 of CertDER
	NotBefore   time.Time `json:"not_before"`
	NotAfter    time.Time `json:"not_after"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedByID *uint     `json:"-"`
}

// Migration 202612020023_signing: signing_keys. Frozen like schema_v1.go.
type signingKeyV1 struct {
	AuthorityID uint   `gorm:"primaryKey;autoIncrement:false"`
	CertDER     []byte `gorm:"type:longblob"`
	ChainDER    []byte `gorm:"type:longblob"`
	KeySealed   []byte `gorm:"type:blob"`
	SelfSigned  bool   `gorm:"not null;default:false"`
	Subject     string `gorm:"size:500;not null;default:''"`
	Fingerprint string `gorm:"size:64;not null;default:''"`
	NotBefore   time.Time
	NotAfter    time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedByID *uint
}

func (signingKeyV1) TableName() string { return "signing_keys" }

func migrateSigning(tx *gorm.DB) error { return fresh(tx).Migrator().CreateTable(&signingKeyV1{}) }

func rollbackSigning(tx *gorm.DB) error { return fresh(tx).Migrator().DropTable(&signingKeyV1{}) }

// SigningKey is authority id's signing key; nil and no error when it has
// none.
func (s *Store) SigningKey(ctx context.Context, authorityID uint) (*SigningKey, error) {
	var ks []SigningKey
	if err := s.conn(ctx).Where("authority_id = ?", authorityID).Limit(1).Find(&ks).Error; err != nil {
		return nil, errs.Wrap(err, "load signing key")
	}
	if len(ks) == 0 {
		return nil, nil
	}
	return &ks[0], nil
}

// AddTestSigningKey stores k, a self-signed test key, unless the authority
// has a key already; it answers the authority's key either way (two
// issuers making one at the same moment keep the first).
func (s *Store) AddTestSigningKey(ctx context.Context, k *SigningKey) (*SigningKey, error) {
	k.SelfSigned = true
	if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(k).Error; err != nil {
		return nil, errs.Wrap(err, "store test signing key")
	}
	got, err := s.SigningKey(ctx, k.AuthorityID)
	if err == nil && got == nil {
		err = errs.E(errs.Internal, "签名证书未能保存")
	}
	return got, err
}

// PutSigningKey stores the key an admin uploaded for its authority,
// replacing the one before, and audits it (the certificate's subject and
// fingerprint; never the key).
func (s *Store) PutSigningKey(ctx context.Context, a Actor, k *SigningKey) error {
	k.SelfSigned, k.UpdatedByID = false, &a.UserID
	return s.transact(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("authority_id = ?", k.AuthorityID).Delete(&SigningKey{}).Error; err != nil {
			return errs.Wrap(err, "replace signing key")
		}
		if err := tx.Create(k).Error; err != nil {
			return errs.Wrap(err, "store signing key")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "signing_key",
			Entity: "authority", EntityID: k.AuthorityID, Detail: "subject=" + k.Subject + " sha256=" + k.Fingerprint})
	})
}
