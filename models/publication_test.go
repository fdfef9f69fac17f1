package models

import (
	"context"
	"testing"

	"penaltydoc/errs"
	"penaltydoc/rules"
)

// TestPublicationStore: creating a record twice creates it once; a step
// checks the scope (another office's record is missing) and the rule on
// the locked row; the overdue list, the public list's filters and the end
// of expired publications.
func TestPublicationStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store, _ string) {
		ctx := context.Background()
		sys := Actor{Username: "system", Scope: Everything}
		mk := func(doc, auth uint, status, due, number, party string) *Publication {
			p := &Publication{DocumentID: doc, CaseID: doc, AuthorityID: auth, Status: status, DueDate: due, Number: number,
				PartyName: party, ItemName: "销售过期食品", DecisionDate: "2026-11-20", Months: 3, EarlyEnd: true, MaskNames: []string{}}
			created, err := s.CreatePublication(ctx, sys, p)
			if err != nil || !created {
				t.Fatalf("create %s: %v %v", number, created, err)
			}
			return p
		}
		a := mk(1, 1, rules.PubPending, "2026-11-30", "杭市监处罚〔2026〕1号", "杭州某某贸易有限公司")
		again := &Publication{DocumentID: 1, CaseID: 1, AuthorityID: 1, Status: rules.PubPending, MaskNames: []string{}}
		if created, err := s.CreatePublication(ctx, sys, again); err != nil || created {
			t.Fatalf("second create: %v %v", created, err)
		}
		b := mk(2, 2, rules.PubPending, "2026-12-31", "示公行罚决字〔2026〕2号", "王小明")

		reviewer := Actor{UserID: 7, Username: "r", Roles: []string{rules.RoleReviewer}, Scope: Scope{Authorities: []uint{1}}}
		review := func(p *Publication) (map[string]any, error) {
			return map[string]any{"status": rules.PubReviewed, "reviewed_by_id": uint(7)}, nil
		}
		if _, err := s.PublicationStep(ctx, reviewer, b.ID, rules.ActPubReview, review); !errs.Is(err, errs.NotFound) {
			t.Errorf("another office's record: %v", err)
		}
		got, err := s.PublicationStep(ctx, reviewer, a.ID, rules.ActPubReview, review)
		if err != nil || got.Status != rules.PubReviewed {
			t.Fatalf("review: %+v %v", got, err)
		}
		if _, err := s.PublicationStep(ctx, reviewer, a.ID, rules.ActPubReview, review); !errs.Is(err, errs.Conflict) {
			t.Errorf("reviewing twice: %v", err)
		}
		head := Actor{UserID: 7, Username: "r", Roles: []string{rules.RoleApprover, rules.RoleReviewer}, Scope: Scope{Authorities: []uint{1}}}
		if _, err := s.PublicationStep(ctx, head, a.ID, rules.ActPubApprove, review); !errs.Is(err, errs.Forbidden) {
			t.Errorf("the reviewer approving: %v", err)
		}

		over, err := s.OverduePublications(ctx, Everything, "2026-12-01")
		if err != nil || len(over) != 1 || over[0].ID != a.ID {
			t.Fatalf("overdue: %+v %v", over, err)
		}
		if over, _ := s.OverduePublications(ctx, Scope{Authorities: []uint{2}}, "2026-12-01"); len(over) != 0 {
			t.Errorf("overdue of another scope: %+v", over)
		}

		// Out on the public list: published, until the end date.
		if err := s.conn(ctx).Model(&Publication{}).Where("id IN ?", []uint{a.ID, b.ID}).
			Updates(map[string]any{"status": rules.PubPublished, "published_date": "2026-11-25", "end_date": "2027-02-25"}).Error; err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    PublicQuery
			want int64
		}{
			{PublicQuery{}, 2}, {PublicQuery{AuthorityID: 2}, 1}, {PublicQuery{Party: "贸易"}, 1}, {PublicQuery{Number: "〔2026〕2号"}, 1},
			{PublicQuery{Item: "过期"}, 2}, {PublicQuery{From: "2026-11-26"}, 0}, {PublicQuery{To: "2026-11-25"}, 2}, {PublicQuery{Party: "100%"}, 0},
		} {
			if _, n, err := s.PublicDecisions(ctx, tc.q, "2026-12-01"); err != nil || n != tc.want {
				t.Errorf("public %+v: %d, %v; want %d", tc.q, n, err, tc.want)
			}
		}
		if _, n, _ := s.PublicDecisions(ctx, PublicQuery{}, "2027-02-26"); n != 0 {
			t.Errorf("listed after the end date: %d", n)
		}
		if n, err := s.EndExpiredPublications(ctx, sys, "2027-02-26"); err != nil || n != 2 {
			t.Fatalf("ended %d, %v", n, err)
		}
		if p, _ := s.Publication(ctx, Everything, a.ID, false); p.Status != rules.PubEnded {
			t.Errorf("after the end: %s", p.Status)
		}
	})
}
