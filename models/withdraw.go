package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// WithdrawCase withdraws a case not yet submitted (撤回), with its draft
// documents: kept, marked with the reason, audited, out of the default
// lists; nothing of it can be submitted afterwards.
func (s *Store) WithdrawCase(ctx context.Context, a Actor, id uint, reason string) (*Case, error) {
	var c *Case
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.caseToAct(tx, a, id, rules.ActWithdraw); err != nil {
			return err
		}
		now := s.now()
		if err := tx.Model(&Case{}).Where("id = ? AND status = ?", id, CaseDraft).Updates(map[string]any{"status": CaseWithdrawn,
			"withdrawn_reason": reason, "withdrawn_by_id": a.UserID, "withdrawn_at": now}).Error; err != nil {
			return errs.Wrap(err, "withdraw case")
		}
		from := c.Status
		c.Status, c.WithdrawnReason, c.WithdrawnByID, c.WithdrawnAt = CaseWithdrawn, reason, &a.UserID, &now
		var drafts []Document
		if err := s.lock(tx).Omit("pdf").Where("case_id = ? AND status = ?", id, DocDraft).Find(&drafts).Error; err != nil {
			return errs.Wrap(err, "load drafts of case")
		}
		for i := range drafts {
			if err := s.withdrawDoc(ctx, tx, a, &drafts[i], c, reason, "case withdrawn"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEntry{UserID: a.UserID, Username: a.Username, IP: a.IP, Action: "withdraw_case",
			Entity: "case", EntityID: id, FromStatus: from, ToStatus: CaseWithdrawn, Detail: "reason=" + reason})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// WithdrawDocument withdraws a draft (作废) with the reason: kept, marked,
// audited, never submitted again.
func (s *Store) WithdrawDocument(ctx context.Context, a Actor, id uint, reason string) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, a.Scope, id); err != nil {
			return err
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActWithdraw, docState(d, c)); err != nil {
			return err
		}
		return s.withdrawDoc(ctx, tx, a, d, c, reason, "")
	})
	return d, err
}

func (s *Store) withdrawDoc(ctx context.Context, tx *gorm.DB, a Actor, d *Document, c *Case, reason, why string) error {
	now := s.now()
	if err := setDocument(tx, d.ID, []string{DocDraft}, map[string]any{"status": DocWithdrawn,
		"withdrawn_reason": reason, "withdrawn_by_id": a.UserID, "withdrawn_at": now}); err != nil {
		return err
	}
	d.Status, d.WithdrawnReason, d.WithdrawnByID, d.WithdrawnAt = DocWithdrawn, reason, &a.UserID, &now
	detail := "reason=" + reason
	if why != "" {
		detail = why + " " + detail
	}
	return s.auditDoc(ctx, tx, a, "withdraw", d, c, DocDraft, DocWithdrawn, detail)
}

// openStatuses are the statuses of a document still on its way: neither
// issued nor withdrawn.
var openStatuses = []string{DocDraft, DocReviewing, DocApproved}

// Revision is a correction's revision of the case facts, evaluated, and
// why it corrects.
type Revision struct {
	Facts      rules.Facts
	Evaluation rules.Evaluation
	Reason     string
}

// ReviseCorrection stores the revision of the facts correction draft id
// carries, while it is a draft. The revision must decide what the corrected
// document decided (rules.CheckCorrection) and call for the correction's kind.
func (s *Store) ReviseCorrection(ctx context.Context, a Actor, id uint, rv Revision) (*Document, error) {
	var d *Document
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		if d, err = s.loadForUpdate(tx, a.Scope, id); err != nil {
			return err
		}
		c, err := s.caseForUpdate(tx, d.CaseID)
		if err != nil {
			return err
		}
		if err := rules.MayDocument(a.Staff(), rules.ActRevise, docState(d, c)); err != nil {
			return err
		}
		if err := s.checkCorrection(tx, a.Scope, d, c, rv.Evaluation); err != nil {
			return err
		}
		if rules.Numbered(d.Kind) && !slices.Contains(rules.AllowedKinds(rv.Evaluation), d.Kind) {
			return errs.E(errs.Invalid, "更正后的处理结论（%s）不适用%s：更正文书只能更正本文书；处理结论改变的，请依法另行处理",
				rules.OutcomeName(rv.Evaluation.Outcome), rules.KindName(d.Kind))
		}
		facts, err := json.Marshal(rv.Facts)
		if err != nil {
			return errs.Wrap(err, "encode revision")
		}
		eval, err := json.Marshal(rv.Evaluation)
		if err != nil {
			return errs.Wrap(err, "encode revision")
		}
		basis := rules.BasisOf(rv.Facts, rv.Evaluation)
		bj, err := json.Marshal(basis)
		if err != nil {
			return errs.Wrap(err, "encode basis")
		}
		if err := setDocument(tx, id, []string{DocDraft}, map[string]any{"revision_facts_json": string(facts),
			"revision_evaluation_json": string(eval), "basis_json": string(bj), "correction_reason": rv.Reason}); err != nil {
			return err
		}
		d.RevisionFacts, d.RevisionEvaluation, d.Basis, d.CorrectionReason = &rv.Facts, &rv.Evaluation, basis, rv.Reason
		return s.auditDoc(ctx, tx, a, "revise_correction", d, c, DocDraft, DocDraft,
			fmt.Sprintf("outcome=%s ground=%s reason=%s", rv.Evaluation.Outcome, rv.Evaluation.Ground, rv.Reason))
	})
	return d, err
}

// checkCorrection refuses a revision of correction d that would change
// the disposition of the document it corrects (rules.CheckCorrection).
func (s *Store) checkCorrection(tx *gorm.DB, sc Scope, d *Document, c *Case, ev rules.Evaluation) error {
	if d.CorrectsID == nil {
		return nil
	}
	old, err := s.loadForUpdate(tx, sc, *d.CorrectsID)
	if err != nil {
		return err
	}
	return rules.CheckCorrection(issuedEvaluation(old, c), ev)
}

// issuedEvaluation is the evaluation issued document d was made on: a
// correction's revision, else the case's (an issued correction's revision
// became the case's own; the case's facts are fixed once it is decided).
func issuedEvaluation(d *Document, c *Case) rules.Evaluation {
	if d.RevisionEvaluation != nil {
		return *d.RevisionEvaluation
	}
	return c.Evaluation
}

// applyRevision makes the facts of issued correction d the case's own.
func applyRevision(tx *gorm.DB, d *Document, c *Case) error {
	if d.RevisionFacts == nil || d.RevisionEvaluation == nil {
		return nil
	}
	oldName := c.PartyName
	c.SetFacts(*d.RevisionFacts, *d.RevisionEvaluation)
	if err := reindexName(tx, c.ID, c.AuthorityID, oldName, c.AuthorityID, c.PartyName); err != nil {
		return err
	}
	pid, err := upsertParty(tx, c.Facts.Party)
	if err != nil {
		return err
	}
	c.PartyID = pid
	if err := tx.Model(&Case{}).Where("id = ?", c.ID).Select("facts_json", "evaluation_json", "legal_review", "violation_code", "party_id", "party_name", "party_key",
		"violation_date", "discovered_date", "decision_date", "outcome", "ground", "vehicle_plate", "basis_hash", "updated_at").
		Updates(c).Error; err != nil {
		return errs.Wrap(err, "apply correction to case")
	}
	return nil
}
