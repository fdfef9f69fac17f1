package models

import (
	"context"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// CreateDocument stores a draft document of a case with the active template
// version of its kind, and audits it.
func (s *Store) CreateDocument(ctx context.Context, a Actor, d *Document) error {
	return s.conn(ctx).Transaction(func(tx *gorm.DB) error {
		var c Case
		if err := tx.Select("id", "authority_id", "facts_json", "evaluation_json", "basis_hash").First(&c, d.CaseID).Error; err != nil {
			return notFound(err, "案件")
		}
		if err := a.Scope.hide(c.AuthorityID, "案件"); err != nil {
			return err
		}
		d.AuthorityID = c.AuthorityID
		t, err := activeTemplate(tx, c.AuthorityID, d.Kind)
		if err != nil {
			return err
		}
		d.TemplateVersion, d.Status, d.CreatedByID, d.Basis = t.Version, DocDraft, a.UserID, caseBasis(&c)
		if err := tx.Create(d).Error; err != nil {
			return errs.Wrap(err, "create document")
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "create_document",
			Entity: "document", EntityID: d.ID, ToStatus: DocDraft, Detail: d.Kind, DocSHA256: documentHash(d, nil)})
	})
}

// caseBasis is what a draft made now from case c is made from.
func caseBasis(c *Case) rules.Basis {
	b := rules.BasisOf(c.Facts, c.Evaluation)
	if c.BasisHash != "" {
		b.Hash = c.BasisHash
	}
	return b
}

// DocumentByID loads a document within scope sc, without its PDF bytes;
// another authority's document is not found, like a missing one.
func (s *Store) DocumentByID(ctx context.Context, sc Scope, id uint) (*Document, error) {
	return s.document(s.conn(ctx), sc, id)
}

// DocumentPDF loads a document within scope sc with its stored PDF bytes
// and render data (document_files; none for a draft).
func (s *Store) DocumentPDF(ctx context.Context, sc Scope, id uint) (*Document, error) {
	d, err := s.document(s.conn(ctx), sc, id)
	if err != nil {
		return nil, err
	}
	ds := []Document{*d}
	if err := s.attachFiles(ctx, s.conn(ctx), ds); err != nil {
		return nil, err
	}
	return &ds[0], nil
}

func (s *Store) document(db *gorm.DB, sc Scope, id uint) (*Document, error) {
	var d Document
	if err := db.First(&d, id).Error; err != nil {
		return nil, notFound(err, "文书")
	}
	if err := sc.hide(d.AuthorityID, "文书"); err != nil {
		return nil, err
	}
	return &d, nil
}

// CaseDocuments lists a case's documents, oldest first, without PDFs.
func (s *Store) CaseDocuments(ctx context.Context, caseID uint) ([]Document, error) {
	var ds []Document
	if err := s.conn(ctx).Where("case_id = ?", caseID).Order("id").Find(&ds).Error; err != nil {
		return nil, errs.Wrap(err, "list documents")
	}
	return ds, nil
}
