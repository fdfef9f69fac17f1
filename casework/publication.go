package casework

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// The publication of decisions (行政执法公示, docs/publication.md): a record
// per issued penalty decision, planned by rules.PlanPublication, its masked
// PDF generated from the decision's frozen render data (never redacted by
// hand), reviewed and approved before it goes out on /public/decisions,
// withdrawn after a correction, ended at the end of its period or earlier
// on credit repair.

// systemActor is who acts when the service itself creates or updates a
// record (after an issue, at start-up, in the reconcile step).
var systemActor = models.Actor{Username: "system", Scope: models.Everything}

// PublicationView is a publication as the staff see it: the record, its
// state's name, whether it is overdue and what the actor may do.
type PublicationView struct {
	models.Publication
	StatusName string `json:"status_name"`
	// Overdue says which deadline passed: 待公示超期 or 撤回超期 ("" none).
	Overdue string `json:"overdue,omitempty"`
	// HasPDF: the masked PDF is frozen (approved or later).
	HasPDF bool `json:"has_pdf"`
	// What the actor may do.
	CanEdit     bool `json:"can_edit"`
	CanReview   bool `json:"can_review"`
	CanApprove  bool `json:"can_approve"`
	CanPublish  bool `json:"can_publish"`
	CanWithdraw bool `json:"can_withdraw"`
	CanEnd      bool `json:"can_end"`
}

func (s *Service) publicationView(a Actor, p *models.Publication, today string) PublicationView {
	v := PublicationView{Publication: *p, StatusName: rules.PubStatusName(p.Status), HasPDF: p.SHA256 != "", Overdue: overdue(p, today)}
	v.Publication.PDF, v.Publication.MaskedData = nil, ""
	may := func(act rules.Action) bool { return rules.MayPublication(a.staff(), act, p.State()) == nil }
	v.CanEdit, v.CanReview, v.CanApprove = may(rules.ActPubEdit), may(rules.ActPubReview), may(rules.ActPubApprove)
	v.CanPublish, v.CanWithdraw, v.CanEnd = may(rules.ActPubPublish), may(rules.ActPubWithdraw), may(rules.ActPubEnd)
	if v.MaskNames == nil {
		v.MaskNames = []string{}
	}
	return v
}

// overdue names the deadline p missed on day today.
func overdue(p *models.Publication, today string) string {
	switch {
	case slices.Contains(rules.PubBeforeOut, p.Status) && p.DueDate != "" && p.DueDate < today:
		return "待公示超期"
	case p.Status == rules.PubPublished && p.WithdrawDue != "" && p.WithdrawDue < today:
		return "撤回超期"
	}
	return ""
}

// publishIssued creates the publication record of a decision just issued
// (its own small transaction, after the issue's) and, for a correction,
// marks the corrected decision's publication for withdrawal. A failure is
// logged, not returned: the issue stands, and ReconcilePublications
// creates what is missing.
func (s *Service) publishIssued(ctx context.Context, d *models.Document) {
	if !slices.Contains(models.PublishedKinds, d.Kind) {
		return
	}
	err := s.createPublication(ctx, d)
	if err == nil && d.CorrectsID != nil {
		err = s.markStale(ctx)
	}
	if err != nil {
		slog.WarnContext(ctx, "publication record after issue (the reconcile step retries)", "document", d.ID, "err", err)
	}
}

// ReconcilePublications brings the publication records up to date: it
// creates the records issued decisions lack (a crash between an issue and
// its record loses nothing), marks for withdrawal the publications of
// decisions corrected or whose case was withdrawn, and ends those whose
// period is over. It runs at start-up and when the publications are
// listed; running it twice changes nothing.
func (s *Service) ReconcilePublications(ctx context.Context) error {
	for {
		ds, err := s.store.DecisionsWithoutPublication(ctx, 100)
		if err != nil {
			return err
		}
		for i := range ds {
			if err := s.createPublication(ctx, &ds[i]); err != nil {
				return err
			}
		}
		if len(ds) < 100 {
			break
		}
	}
	if err := s.markStale(ctx); err != nil {
		return err
	}
	_, err := s.store.EndExpiredPublications(ctx, systemActor, s.Today())
	return err
}

// markStale gives every publication whose decision no longer stands its
// withdrawal due (3 working days from the correction or withdrawal).
func (s *Service) markStale(ctx context.Context) error {
	stale, err := s.store.StalePublications(ctx)
	if err != nil || len(stale) == 0 {
		return err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return err
	}
	for _, sp := range stale {
		cause, on := "案件已撤销", sp.ReplacedOn
		var replacedBy *uint
		if sp.DocStatus == models.DocSuperseded {
			cause = "原行政处罚决定已被更正"
			if sp.Replacement != "" {
				cause += "（更正决定书" + sp.Replacement + "）"
			}
			if sp.ReplacedBy != nil {
				if np, err := s.store.PublicationOf(ctx, *sp.ReplacedBy); err == nil && np != nil {
					replacedBy = &np.ID
				}
			}
		}
		if on == "" {
			on = s.Today()
		}
		due, err := rules.WithdrawalDue(cal, on)
		if err != nil {
			return errs.Wrap(err, "withdrawal due")
		}
		if err := s.store.MarkStale(ctx, systemActor, sp.ID, cause, due, replacedBy); err != nil {
			return err
		}
	}
	return nil
}

// decisionData decodes the render data frozen with issued decision id.
func (s *Service) decisionData(ctx context.Context, id uint) (render.Data, error) {
	var data render.Data
	b, err := s.store.IssuedRenderData(ctx, id)
	if err != nil {
		return data, err
	}
	if err := json.Unmarshal(b, &data); err != nil {
		return data, errs.Wrap(err, "decode render data")
	}
	return data, nil
}

// createPublication creates the record of issued decision d (nothing when
// it has one).
func (s *Service) createPublication(ctx context.Context, d *models.Document) error {
	data, err := s.decisionData(ctx, d.ID)
	if err != nil {
		return err
	}
	au, err := s.store.Authority(ctx, d.AuthorityID)
	if err != nil {
		return err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return err
	}
	p := &models.Publication{DocumentID: d.ID, CaseID: d.CaseID, AuthorityID: d.AuthorityID, DecisionKind: d.Kind,
		DecisionDate: d.IssueDate, Number: deref(d.Number), MaskNames: []string{}}
	if err := planPublication(p, au, data, cal); err != nil {
		return err
	}
	summarise(p, data)
	_, err = s.store.CreatePublication(ctx, systemActor, p)
	return err
}

// summarise sets the summary the lists show, from the masked data.
func summarise(p *models.Publication, data render.Data) {
	m := maskData(data, p.MaskNames)
	p.PartyName, p.ItemCode, p.ItemName = m.Facts.Party.Name, m.Item.Code, m.Item.Name
	p.Penalties = strings.Join(m.Penalties(), "；")
}

// planPublication sets p's status, reason, due date, period and early end
// by rules.PlanPublication on the authority's settings and p's markings.
func planPublication(p *models.Publication, au *models.Authority, data render.Data, cal rules.Calendar) error {
	domain := au.Domain
	if slices.Contains(au.DomainList(), rules.DomainMarketRegulation) {
		domain = rules.DomainMarketRegulation
	}
	penalties := data.Evaluation.Penalties
	plan := rules.PlanPublication(rules.PublicationInput{Kind: p.DecisionKind, Domain: domain,
		Simplified: p.DecisionKind == rules.KindOnTheSpotDecision, Facts: data.Facts, Penalties: penalties, Secret: p.Secret,
		LowerFine: au.LowerFine, OtherProvince: p.OtherProvince, PeriodMonths: au.PublicationMonths})
	p.DueDays, p.Months, p.EarlyEnd = plan.DueDays, plan.Months, plan.EarlyEnd
	if !plan.Publish {
		p.Status, p.DueDate = rules.PubNotPublished, ""
		p.Reason = plan.Reason + "（" + strings.Join(plan.Articles, "、") + "）"
		return nil
	}
	due, err := rules.PublicationDue(cal, p.DecisionDate, plan)
	if err != nil {
		return errs.Wrap(err, "publication due")
	}
	p.Status, p.DueDate = rules.PubPending, due
	p.Reason = "依据" + strings.Join(plan.Articles, "、") + "公示，公示期" + monthsText(plan.Months)
	return nil
}

func monthsText(m int) string {
	if m%12 == 0 {
		return rules.ChineseNumeral(m/12) + "年"
	}
	return rules.ChineseNumeral(m) + "个月"
}

// PublicationFilter filters the staff list.
type PublicationFilter = models.PublicationQuery

// Publications lists the publications of the actor's authorities, after
// bringing the records up to date.
func (s *Service) Publications(ctx context.Context, a Actor, q PublicationFilter) ([]PublicationView, error) {
	if err := s.ReconcilePublications(ctx); err != nil {
		return nil, err
	}
	q.Q = strings.TrimSpace(q.Q)
	if q.Status != "" && rules.PubStatusName(q.Status) == q.Status {
		return nil, errs.Field("status", "公示状态无效")
	}
	ps, err := s.store.ListPublications(ctx, a.Scope, q)
	if err != nil {
		return nil, err
	}
	return s.views(a, ps), nil
}

func (s *Service) views(a Actor, ps []models.Publication) []PublicationView {
	today := s.Today()
	out := make([]PublicationView, len(ps))
	for i := range ps {
		out[i] = s.publicationView(a, &ps[i], today)
	}
	return out
}

// OverduePublications are the actor's authorities' publications past a
// deadline today: not published by the due date, or not withdrawn within
// 3 working days of the correction (for the supervision page too).
func (s *Service) OverduePublications(ctx context.Context, a Actor) ([]PublicationView, error) {
	ps, err := s.store.OverduePublications(ctx, a.Scope, s.Today())
	if err != nil {
		return nil, err
	}
	return s.views(a, ps), nil
}

// Publication is one publication as the actor sees it.
func (s *Service) Publication(ctx context.Context, a Actor, id uint) (*PublicationView, error) {
	p, err := s.store.Publication(ctx, a.Scope, id, false)
	if err != nil {
		return nil, err
	}
	v := s.publicationView(a, p, s.Today())
	return &v, nil
}

// PublicationSettings are the officer's markings of a case's publication.
type PublicationSettings struct {
	// Secret: "", state, commercial or privacy (rules.Secret*).
	Secret        string `json:"secret"`
	OtherProvince bool   `json:"other_province"`
	// MaskNames are natural persons named in the facts, to print as 姓+某.
	MaskNames []string `json:"mask_names"`
}

func (in *PublicationSettings) check() error {
	f := errs.Fields{}
	if !slices.Contains([]string{rules.SecretNone, rules.SecretState, rules.SecretCommercial, rules.SecretPrivacy}, in.Secret) {
		f.Add("secret", "涉密标记应为空、state（国家秘密）、commercial（商业秘密）或 privacy（个人隐私）")
	}
	var names []string
	limits.MaskNameItems.Check(f, len(in.MaskNames))
	for i, n := range in.MaskNames {
		n = strings.TrimSpace(n)
		if n == "" || slices.Contains(names, n) {
			continue
		}
		path := "mask_names[" + strconv.Itoa(i) + "]"
		if utf8.RuneCountInString(n) < 2 {
			f.Add(path, "须遮蔽的姓名至少两个字")
			continue
		}
		limits.MaskName.Check(f, path, n)
		names = append(names, n)
	}
	if names == nil {
		names = []string{}
	}
	in.MaskNames = names
	return f.Err()
}

// UpdatePublication stores the officer's markings and plans the
// publication again; a record under review or approved goes back to
// 待审核 (its frozen PDF dropped), since what is published changed.
func (s *Service) UpdatePublication(ctx context.Context, a Actor, id uint, in PublicationSettings) (*PublicationView, error) {
	p, err := s.store.Publication(ctx, a.Scope, id, false)
	if err != nil {
		return nil, err
	}
	if err := rules.MayPublication(a.staff(), rules.ActPubEdit, p.State()); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	data, err := s.decisionData(ctx, p.DocumentID)
	if err != nil {
		return nil, err
	}
	au, err := s.store.Authority(ctx, p.AuthorityID)
	if err != nil {
		return nil, err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return s.pubStep(ctx, a, id, rules.ActPubEdit, func(p *models.Publication) (map[string]any, error) {
		p.Secret, p.OtherProvince, p.MaskNames = in.Secret, in.OtherProvince, in.MaskNames
		if err := planPublication(p, au, data, cal); err != nil {
			return nil, err
		}
		summarise(p, data)
		names, _ := json.Marshal(p.MaskNames)
		return map[string]any{"secret": p.Secret, "other_province": p.OtherProvince, "mask_names_json": string(names),
			"status": p.Status, "reason": p.Reason, "due_date": p.DueDate, "due_days": p.DueDays, "months": p.Months,
			"early_end": p.EarlyEnd, "party_name": p.PartyName, "penalties": p.Penalties,
			"reviewed_by_id": nil, "reviewed_at": nil, "approved_by_id": nil, "approved_at": nil,
			"pdf": nil, "sha256": "", "masked_data_json": ""}, nil
	})
}

func (s *Service) pubStep(ctx context.Context, a Actor, id uint, act rules.Action, change func(*models.Publication) (map[string]any, error)) (*PublicationView, error) {
	p, err := s.store.PublicationStep(ctx, a.record(), id, act, change)
	if err != nil {
		return nil, err
	}
	v := s.publicationView(a, p, s.Today())
	return &v, nil
}

// ReviewPublication passes the legal reviewer's check of the masked text.
func (s *Service) ReviewPublication(ctx context.Context, a Actor, id uint) (*PublicationView, error) {
	return s.pubStep(ctx, a, id, rules.ActPubReview, func(p *models.Publication) (map[string]any, error) {
		now := s.store.Now().UTC()
		return map[string]any{"status": rules.PubReviewed, "reviewed_by_id": a.UserID, "reviewed_at": now}, nil
	})
}

// ApprovePublication is the head's approval: the masked PDF is generated
// from the markings the reviewer saw and frozen with its SHA-256 (what is
// published is what was approved).
func (s *Service) ApprovePublication(ctx context.Context, a Actor, id uint) (*PublicationView, error) {
	p, err := s.store.Publication(ctx, a.Scope, id, false)
	if err != nil {
		return nil, err
	}
	if err := rules.MayPublication(a.staff(), rules.ActPubApprove, p.State()); err != nil {
		return nil, err
	}
	pdf, masked, err := s.maskedPDF(ctx, p)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(masked)
	if err != nil {
		return nil, errs.Wrap(err, "encode masked data")
	}
	sum := sha256.Sum256(pdf)
	return s.pubStep(ctx, a, id, rules.ActPubApprove, func(locked *models.Publication) (map[string]any, error) {
		if !locked.UpdatedAt.Equal(p.UpdatedAt) {
			return nil, errs.E(errs.Conflict, "公示内容刚被修改，请重新预览后再批准")
		}
		now := s.store.Now().UTC()
		return map[string]any{"status": rules.PubApproved, "approved_by_id": a.UserID, "approved_at": now,
			"pdf": pdf, "sha256": hex.EncodeToString(sum[:]), "masked_data_json": string(data)}, nil
	})
}

// PublishPublication puts an approved publication on the public list
// today, until the end of its period.
func (s *Service) PublishPublication(ctx context.Context, a Actor, id uint) (*PublicationView, error) {
	return s.pubStep(ctx, a, id, rules.ActPubPublish, func(p *models.Publication) (map[string]any, error) {
		today := s.Today()
		now := s.store.Now().UTC()
		return map[string]any{"status": rules.PubPublished, "published_date": today, "end_date": rules.PublicationEnd(today, p.Months),
			"published_by_id": a.UserID, "published_at": now}, nil
	})
}

// WithdrawPublication takes a publication down (撤回: the decision was
// revoked or corrected), for the reason given.
func (s *Service) WithdrawPublication(ctx context.Context, a Actor, id uint, reason string) (*PublicationView, error) {
	if _, err := s.store.Publication(ctx, a.Scope, id, false); err != nil {
		return nil, err
	}
	reason, err := checkReason(limits.PublicationReason, reason)
	if err != nil {
		return nil, err
	}
	return s.pubStep(ctx, a, id, rules.ActPubWithdraw, func(p *models.Publication) (map[string]any, error) {
		now := s.store.Now().UTC()
		return map[string]any{"status": rules.PubWithdrawn, "withdraw_reason": reason, "withdrawn_by_id": a.UserID, "withdrawn_at": now}, nil
	})
}

// EndPublication ends a publication before its period on an approved
// credit-repair request (信用修复), for the reason given; refused where the
// plan allows no early end.
func (s *Service) EndPublication(ctx context.Context, a Actor, id uint, reason string) (*PublicationView, error) {
	if _, err := s.store.Publication(ctx, a.Scope, id, false); err != nil {
		return nil, err
	}
	reason, err := checkReason(limits.PublicationReason, reason)
	if err != nil {
		return nil, err
	}
	return s.pubStep(ctx, a, id, rules.ActPubEnd, func(p *models.Publication) (map[string]any, error) {
		now := s.store.Now().UTC()
		return map[string]any{"status": rules.PubEnded, "end_reason": reason, "end_date": s.Today(), "ended_by_id": a.UserID, "ended_at": now}, nil
	})
}

// PublicationPDF is the masked PDF of publication id: the frozen bytes once
// approved, else a preview generated now from the current markings.
func (s *Service) PublicationPDF(ctx context.Context, a Actor, id uint) ([]byte, string, error) {
	p, err := s.store.Publication(ctx, a.Scope, id, true)
	if err != nil {
		return nil, "", err
	}
	name := "公示-" + p.Number + ".pdf"
	if len(p.PDF) > 0 {
		return p.PDF, name, nil
	}
	if p.Status == rules.PubNotPublished {
		return nil, "", errs.E(errs.Conflict, "本决定不予公示：%s", p.Reason)
	}
	pdf, _, err := s.maskedPDF(ctx, p)
	if err != nil {
		return nil, "", err
	}
	return pdf, "公示预览-" + p.Number + ".pdf", nil
}
