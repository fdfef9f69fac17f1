package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// opOrder is the order of operations in the report: the path of a case.
var opOrder = []string{"login", "evaluate", "create_case", "draft", "draft_pdf", "preview", "submit", "legal_review",
	"discussion", "approve", "issue", "serve", "statement", "download", "verify"}

// issued is what the service answered when it issued a document: the
// harness holds the service to it afterwards.
type issued struct {
	ID         uint
	Number     string
	SHA256     string
	AccessCode string
	VerifyURL  string
}

// ledger gathers, across clients, the documents the service acknowledged
// as issued and every mismatch seen during the run.
type ledger struct {
	mu       sync.Mutex
	issued   []issued
	problems []string
}

func (l *ledger) add(d issued) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.issued = append(l.issued, d)
}

func (l *ledger) problem(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append(l.problems, fmt.Sprintf(format, args...))
}

// worker is one client: it runs flows one after the other until ctx ends.
type worker struct {
	n        int // 0-based client number
	a        *api
	teams    map[string]*team // by item code
	rng      *rand.Rand
	ledger   *ledger
	relogin  int // sign the officers in again every relogin flows (0: never)
	now      func() time.Time
	signedIn map[*account]bool
}

type caseAnswer struct {
	ID         uint `json:"id"`
	Evaluation struct {
		Outcome      string `json:"outcome"`
		DocumentKind string `json:"document_kind"`
	} `json:"evaluation"`
}

type evalAnswer struct {
	Outcome             string `json:"outcome"`
	DocumentKind        string `json:"document_kind"`
	LegalReviewRequired bool   `json:"legal_review_required"`
}

type docAnswer struct {
	ID         uint   `json:"id"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	Number     string `json:"number"`
	IssueDate  string `json:"issue_date"`
	SHA256     string `json:"sha256"`
	AccessCode string `json:"access_code"`
	VerifyURL  string `json:"verify_url"`
}

type verifyAnswer struct {
	Number string `json:"number"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"`
}

// errUnexpected is an answer with the right status but the wrong content.
var errUnexpected = errors.New("unexpected answer")

// loop runs flows until ctx ends, kind after kind (each client starting at
// another kind, so every kind runs at once).
func (w *worker) loop(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		kind := flowKinds[(w.n+i)%len(flowKinds)]
		t := w.teams[flowItem(kind)]
		officer := t.officers[w.n]
		if !w.signedIn[officer] || (w.relogin > 0 && i > 0 && i%w.relogin == 0) {
			if _, err := officer.login(ctx, w.a); err != nil {
				w.backOff(ctx, err)
				continue
			}
			w.signedIn[officer] = true
		}
		err := w.flow(ctx, kind, t, officer)
		if err == nil {
			w.a.rec.flowDone(kind)
			continue
		}
		if errors.Is(err, errUnexpected) {
			w.ledger.problem("client %d, %s flow: %v", w.n+1, kind, err)
		}
		w.backOff(ctx, err)
	}
}

// backOff waits a little after a failed flow, so that clients do not spin
// while the service or its database is down.
func (w *worker) backOff(ctx context.Context, err error) {
	d := 50 * time.Millisecond
	var re *reqError
	var se *statusError
	if errors.As(err, &re) || (errors.As(err, &se) && se.Status >= 500) {
		d = 250 * time.Millisecond
	}
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func docPath(id uint, step string) string {
	if step == "" {
		return fmt.Sprintf("/api/v1/documents/%d", id)
	}
	return fmt.Sprintf("/api/v1/documents/%d/%s", id, step)
}

// flow takes one new case of kind from the facts to the party's download
// and the verify page.
func (w *worker) flow(ctx context.Context, kind string, t *team, officer *account) error {
	facts := caseFacts(kind, t.authorityID, w.rng, w.now())
	var ev evalAnswer
	if err := officer.call(ctx, w.a, "evaluate", "POST", "/api/v1/evaluate", facts, 200, &ev); err != nil {
		return err
	}
	wantKind := map[string]string{flowNoPenalty: "no_penalty_decision", flowPenalty: "penalty_decision", flowOnTheSpot: "on_the_spot_decision"}[kind]
	if ev.DocumentKind != wantKind {
		return fmt.Errorf("%w: evaluate answered %s/%s, want %s", errUnexpected, ev.Outcome, ev.DocumentKind, wantKind)
	}
	facts["officer_ids"] = t.officerIDs(officer)
	var cs caseAnswer
	if err := officer.call(ctx, w.a, "create_case", "POST", "/api/v1/cases", facts, 201, &cs); err != nil {
		return err
	}
	if kind == flowPenalty {
		if err := w.notice(ctx, t, officer, cs.ID); err != nil {
			return err
		}
		// A major case: the heads discuss it before the decision is
		// approved (APL Art. 57 ¶2).
		discussion := map[string]string{"date": w.now().In(china).Format("2006-01-02"), "participants": "局长、副局长",
			"conclusion": "同意给予行政处罚"}
		if err := t.head.call(ctx, w.a, "discussion", "POST", fmt.Sprintf("/api/v1/cases/%d/discussion", cs.ID), discussion, 200, nil); err != nil {
			return err
		}
	}
	var d docAnswer
	if err := officer.call(ctx, w.a, "draft", "POST", fmt.Sprintf("/api/v1/cases/%d/documents", cs.ID), map[string]string{"kind": wantKind}, 201, &d); err != nil {
		return err
	}
	var pdf []byte
	if err := officer.call(ctx, w.a, "draft_pdf", "GET", docPath(d.ID, "pdf"), nil, 200, &pdf); err != nil {
		return err
	}
	if err := t.editor.call(ctx, w.a, "preview", "POST", "/api/v1/templates/preview", map[string]any{"kind": wantKind, "case": facts}, 200, &pdf); err != nil {
		return err
	}
	if err := officer.call(ctx, w.a, "submit", "POST", docPath(d.ID, "submit"), nil, 200, &d); err != nil {
		return err
	}
	if ev.LegalReviewRequired {
		if err := t.reviewer.call(ctx, w.a, "legal_review", "POST", docPath(d.ID, "approve"), nil, 200, &d); err != nil {
			return err
		}
	}
	if kind == flowPenalty { // a major case: the heads discuss it before the decision (APL Art. 57 ¶2)
		disc := map[string]string{"date": w.now().In(china).Format("2006-01-02"), "participants": "局长、副局长、法制机构负责人",
			"conclusion": "同意承办机构意见，依法给予行政处罚。"}
		if err := t.head.call(ctx, w.a, "discussion", "POST", fmt.Sprintf("/api/v1/cases/%d/discussion", cs.ID), disc, 200, nil); err != nil {
			return err
		}
	}
	if err := t.head.call(ctx, w.a, "approve", "POST", docPath(d.ID, "approve"), nil, 200, &d); err != nil {
		return err
	}
	if d.Status != "approved" {
		return fmt.Errorf("%w: document %d is %s after approval", errUnexpected, d.ID, d.Status)
	}
	_, err := w.issue(ctx, t, d.ID)
	return err
}

// notice takes the advance notice of a penalty case through one approval,
// issue and service, and records the party's waiver of the answer period.
func (w *worker) notice(ctx context.Context, t *team, officer *account, caseID uint) error {
	var n docAnswer
	if err := officer.call(ctx, w.a, "draft", "POST", fmt.Sprintf("/api/v1/cases/%d/documents", caseID), map[string]string{"kind": "advance_notice"}, 201, &n); err != nil {
		return err
	}
	if err := officer.call(ctx, w.a, "submit", "POST", docPath(n.ID, "submit"), nil, 200, &n); err != nil {
		return err
	}
	if err := t.head.call(ctx, w.a, "approve", "POST", docPath(n.ID, "approve"), nil, 200, &n); err != nil {
		return err
	}
	in, err := w.issue(ctx, t, n.ID)
	if err != nil {
		return err
	}
	serve := map[string]string{"method": "direct", "date": in.IssueDate, "recipient": "当事人本人", "place": "当事人住所"}
	if err := t.clerk.call(ctx, w.a, "serve", "POST", docPath(n.ID, "serve"), serve, 200, nil); err != nil {
		return err
	}
	return officer.call(ctx, w.a, "statement", "POST", fmt.Sprintf("/api/v1/cases/%d/statement", caseID), map[string]any{"waived": true}, 200, nil)
}

// issue issues an approved document, then, as the party, downloads it with
// its number and access code and checks it on the verify page.
func (w *worker) issue(ctx context.Context, t *team, id uint) (docAnswer, error) {
	var d docAnswer
	if err := t.clerk.call(ctx, w.a, "issue", "POST", docPath(id, "issue"), nil, 200, &d); err != nil {
		return d, err
	}
	if d.Number == "" || len(d.SHA256) != 64 || d.AccessCode == "" || d.VerifyURL == "" {
		return d, fmt.Errorf("%w: issue of document %d answered number %q, sha256 %q, access code set %v, verify_url %q",
			errUnexpected, id, d.Number, d.SHA256, d.AccessCode != "", d.VerifyURL)
	}
	w.ledger.add(issued{ID: id, Number: d.Number, SHA256: d.SHA256, AccessCode: d.AccessCode, VerifyURL: d.VerifyURL})
	var pdf []byte
	if err := w.a.do(ctx, w.a.public, "download", "POST", "/public/download", "",
		map[string]string{"number": d.Number, "access_code": d.AccessCode}, 200, &pdf, nil); err != nil {
		return d, err
	}
	if sum := sha256Hex(pdf); sum != d.SHA256 {
		return d, fmt.Errorf("%w: download of %s: SHA-256 %s, issue answered %s", errUnexpected, d.Number, sum, d.SHA256)
	}
	v, err := w.a.verify(ctx, d.VerifyURL)
	if err != nil {
		return d, err
	}
	if v.SHA256 != d.SHA256 || v.Number != d.Number {
		return d, fmt.Errorf("%w: verify of %s answered %s / %s, issue answered %s", errUnexpected, d.Number, v.Number, v.SHA256, d.SHA256)
	}
	return d, nil
}

// verify asks the verify page of a document (JSON) against this service,
// whatever host the document's verify URL names.
func (a *api) verify(ctx context.Context, verifyURL string) (verifyAnswer, error) {
	var v verifyAnswer
	u, err := url.Parse(verifyURL)
	if err != nil || !strings.HasPrefix(u.Path, "/verify/") {
		return v, fmt.Errorf("%w: verify_url %q", errUnexpected, verifyURL)
	}
	err = a.do(ctx, a.public, "verify", "GET", u.Path, "", nil, 200, &v, http.Header{"Accept": {"application/json"}})
	return v, err
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
