package casework

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/models/dbtest"
	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

func init() { models.BcryptCost = bcrypt.MinCost }

// sharedRenderer parses the fonts once for every test.
var sharedRenderer = sync.OnceValues(render.New)

// env is the case work on a real, migrated and seeded database, with one
// actor per role and a clock the test moves.
type env struct {
	t      testing.TB
	store  *models.Store
	work   *Service
	actors map[string]Actor
	now    time.Time
	// officers are the two certified officers the cases name.
	officers []uint
}

func (e *env) at(day string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", rules.China)
	if err != nil {
		e.t.Fatal(err)
	}
	e.now = t
}

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// envDB is the database newEnv works on, migrated and seeded once per test
// binary and copied for every test (newEnv's own Migrate and Seed then
// find nothing to do).
var envDB = &dbtest.Template{Name: "casework", Prepare: func(ctx context.Context, dsn string) error {
	store, err := models.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	_, err = store.Seed(ctx, envSeed())
	return err
}}

// envSeed is what newEnv seeds with.
func envSeed() models.SeedOptions {
	return models.SeedOptions{AdminPassword: "admin-password-1", Templates: templates.All(), Seal: render.SampleSeal()}
}

func newEnv(t testing.TB, db dbtest.DB) *env {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Seed(ctx, envSeed()); err != nil {
		t.Fatal(err)
	}
	r, err := sharedRenderer()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := models.NewAccessKeys(models.NewSecret()) // a random secret per test
	if err != nil {
		t.Fatal(err)
	}
	work, err := New(Config{Store: store, Renderer: r, BaseURL: "https://penaltydoc.example/", AccessKeys: keys})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: store, work: work, actors: map[string]Actor{}, now: time.Now()}
	store.Now = func() time.Time { return e.now.UTC() }
	for _, role := range []string{rules.RoleOfficer, rules.RoleReviewer, rules.RoleApprover, rules.RoleClerk} {
		// The staff of the default authority who also serve the seeded
		// public-security and traffic authorities.
		nu := models.NewUser{Username: "u-" + role, Password: "password-" + role, Roles: []string{role}, Authorities: []uint{2, 3}}
		if role == rules.RoleOfficer {
			nu.CertificateNumber = "33010000001"
		}
		u, err := store.CreateUser(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		e.actors[role] = ActorOf(u, "127.0.0.1")
		if role == rules.RoleOfficer { // the second certified officer every case names (APL Art. 42)
			p, err := store.CreateUser(ctx, models.NewUser{Username: "u-officer2", Password: "password-officer2", Roles: []string{role},
				Authorities: []uint{2, 3}, CertificateNumber: "33010000002"})
			if err != nil {
				t.Fatal(err)
			}
			e.officers = []uint{u.ID, p.ID}
		}
	}
	return e
}

// named is in naming the env's two certified officers.
func (e *env) named(in CaseInput) CaseInput {
	in.OfficerIDs = e.officers
	return in
}

func forEachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, db := range envDB.DSNs(t) {
		t.Run(db.Name, func(t *testing.T) { fn(t, newEnv(t, db)) })
	}
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) as(role string) Actor { return e.actors[role] }

// join lets every actor of e serve authority id too.
func (e *env) join(id uint) {
	for role, a := range e.actors {
		a.Scope.Authorities = append(a.Scope.Authorities, id)
		e.actors[role] = a
	}
	admin := models.Actor{UserID: 0, Username: "test", Roles: []string{rules.RoleAdmin}, Scope: models.Everything}
	for _, oid := range e.officers { // the officers the cases name serve it too
		u, err := e.store.UserByID(context.Background(), oid)
		e.must(err)
		further := append(u.AuthorityIDs()[1:], id)
		_, err = e.store.UpdateUser(context.Background(), admin, oid, models.UserChange{AuthorityID: u.AuthorityID, Authorities: &further})
		e.must(err)
	}
}

// approve takes a submitted document through every approval stage it needs.
func (e *env) approve(id uint) *DocumentView {
	e.t.Helper()
	ctx := context.Background()
	v, err := e.work.Submit(ctx, e.as(rules.RoleOfficer), id)
	e.must(err)
	for v.Status == models.DocReviewing { // each stage by its role: the legal review, the head
		role := rules.RoleApprover
		if v.Stage == rules.StageLegalReview || v.Stage == rules.StageSingle {
			role = rules.RoleReviewer
		}
		v, err = e.work.Approve(ctx, e.as(role), id)
		e.must(err)
	}
	if v.Status != models.DocApproved {
		e.t.Fatalf("document %d: %s after approval", id, v.Status)
	}
	return v
}

// priceCase are facts of a price-marking violation by a company that was
// penalised for the same within the lookback: a penalty, with an advance
// notice.
func priceCase() CaseInput {
	return CaseInput{Facts: rules.Facts{
		ViolationCode: "JG-001",
		Party: rules.Party{Kind: rules.PartyOrganization, Name: "杭州某某超市有限公司", CreditCode: "91330106MA2B3C4D5D",
			Address: "杭州市西湖区文三路100号", LegalRepresentative: "李明"},
		ViolationDate: "2026-10-08", DiscoveredDate: "2026-10-09",
		Facts:    "当事人在其经营场所陈列销售的水果、蔬菜等商品共23种未标示价格。",
		Evidence: []string{"现场检查笔录", "现场照片8张"},
		Harm:     rules.HarmMinor, Corrected: true,
		PriorViolations: []rules.PriorViolation{{ViolationCode: "JG-001", Date: "2025-12-01", Handled: true}},
		ProposedFine:    3000,
	}}
}

// TestCasePath takes a case from facts to a served decision through the
// case work alone, on SQLite and MariaDB: filing, the advance notice
// (drafted, approved, issued with its receipt, served), the party's waiver,
// the decision (legal review, approval, issue), service, and the case
// closed; every step checked against the permission rule's refusals.
func TestCasePath(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		if _, err := e.work.CreateCase(ctx, clerk, priceCase()); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a clerk filed a case: %v", err)
		}
		cs, err := e.work.CreateCase(ctx, officer, e.named(priceCase()))
		e.must(err)
		if cs.Status != models.CaseDraft || cs.Evaluation.Outcome != rules.OutcomePenalty || cs.Evaluation.DocumentKind != rules.KindPenaltyDecision {
			t.Fatalf("case %s %+v", cs.Status, cs.Evaluation)
		}
		view, err := e.work.Case(ctx, officer, cs.ID)
		e.must(err)
		if !view.CanEdit || !view.CanDraft || !view.CanState || view.CanOverride ||
			strings.Join(view.Kinds, ",") != rules.KindAdvanceNotice+","+rules.KindPenaltyDecision {
			t.Fatalf("officer's view %+v", view)
		}
		if v, _ := e.work.Case(ctx, clerk, cs.ID); v.CanEdit || v.CanDraft || v.CanState {
			t.Fatalf("a clerk may change the case: %+v", v)
		}
		if _, err := e.work.Draft(ctx, officer, cs.ID, rules.KindNoPenaltyDecision); !errs.Is(err, errs.Invalid) {
			t.Fatalf("drafted a kind the evaluation does not allow: %v", err)
		}

		// The advance notice.
		notice, err := e.work.Draft(ctx, officer, cs.ID, rules.KindAdvanceNotice)
		e.must(err)
		if pdf, name, err := e.work.PDF(ctx, officer, notice.ID); err != nil || !strings.HasPrefix(string(pdf), "%PDF") || !strings.Contains(name, "样稿") {
			t.Fatalf("draft PDF %q: %v", name, err)
		}
		if _, err := e.work.Issue(ctx, clerk, notice.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("issued a draft: %v", err)
		}
		e.approve(notice.ID)
		if _, err := e.work.Issue(ctx, officer, notice.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("an officer issued: %v", err)
		}
		in, err := e.work.Issue(ctx, clerk, notice.ID)
		e.must(err)
		if in.Status != models.DocIssued || in.Number == nil || in.AccessCode == "" || in.ServiceReceiptID == 0 ||
			!strings.HasPrefix(in.VerifyURL, "https://penaltydoc.example/verify/") {
			t.Fatalf("issued notice %+v", in)
		}
		if _, err := e.work.Issue(ctx, clerk, notice.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("issued twice: %v", err)
		}
		if v, _ := e.work.Case(ctx, officer, cs.ID); v.CanEdit {
			t.Fatal("the facts stay editable once a document was submitted")
		}
		if _, err := e.work.UpdateCase(ctx, officer, cs.ID, priceCase()); !errs.Is(err, errs.Conflict) {
			t.Fatalf("edited the facts of an open case: %v", err)
		}
		served, err := e.work.Serve(ctx, clerk, notice.ID, ServiceInput{Method: "direct", Date: "2026-11-02", Recipient: "李明（法定代表人）"})
		e.must(err)
		if served.Deadlines == nil || served.Deadlines.AnswerDue != "2026-11-09" {
			t.Fatalf("notice deadlines %+v", served.Deadlines)
		}

		// The decision: refused within the answer period, then the party waives.
		dec, err := e.work.Draft(ctx, officer, cs.ID, rules.KindPenaltyDecision)
		e.must(err)
		e.approve(dec.ID)
		if _, err := e.work.Issue(ctx, clerk, dec.ID); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "期满后方可签发") {
			t.Fatalf("decision within the answer period: %v", err)
		}
		_, err = e.work.RecordStatement(ctx, officer, cs.ID, StatementInput{Waived: true})
		e.must(err)
		issued, err := e.work.Issue(ctx, clerk, dec.ID)
		e.must(err)
		doc, err := e.store.DocumentPDF(ctx, models.Everything, dec.ID)
		e.must(err)
		var data render.Data
		e.must(json.Unmarshal([]byte(doc.DataJSON), &data))
		if data.Draft || data.Number != *issued.Number || data.Notice.Number != *in.Number || data.Fine != 3000 || doc.Fine != 3000 {
			t.Fatalf("decision data: draft %v number %q notice %q fine %v/%v", data.Draft, data.Number, data.Notice.Number, data.Fine, doc.Fine)
		}
		if v, _ := e.work.Case(ctx, officer, cs.ID); v.Case.Status != models.CaseExecuting || v.Case.PaymentState != rules.PayUnpaid ||
			len(v.Kinds) != 0 || v.CanState || !v.CanPay {
			t.Fatalf("case after the decision: %s %s kinds %v state %v pay %v", v.Case.Status, v.Case.PaymentState, v.Kinds, v.CanState, v.CanPay)
		}
		if _, err := e.work.Draft(ctx, officer, cs.ID, rules.KindAdvanceNotice); !errs.Is(err, errs.Conflict) {
			t.Fatalf("drafted on a decided case: %v", err)
		}
		final, err := e.work.Serve(ctx, clerk, dec.ID, ServiceInput{Method: "邮寄送达", Date: "2026-11-02", Recipient: "李明"})
		e.must(err)
		if final.Status != models.DocServed || final.Deadlines == nil || final.Deadlines.PaymentDue != "2026-11-17" || final.Deadlines.LateFeeCap != 3000 {
			t.Fatalf("served decision %s %+v", final.Status, final.Deadlines)
		}
		if _, err := e.work.Serve(ctx, clerk, dec.ID, ServiceInput{Method: "direct", Date: "2026-11-02", Recipient: "李明"}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("served twice: %v", err)
		}
		var got *models.Document
		err = e.work.Download(ctx, Public("203.0.113.9"), strings.ReplaceAll(*issued.Number, "〔", "["), strings.ToLower(issued.AccessCode),
			func(d *models.Document) { got = d })
		if err != nil || got == nil || string(got.PDF) != string(doc.PDF) {
			t.Fatalf("party download: %v", err)
		}
		if err := e.work.Download(ctx, Public("203.0.113.9"), *issued.Number, "AAAA-AAAA", func(*models.Document) { t.Error("sent") }); err != ErrNoDocument {
			t.Fatalf("wrong code: %v", err)
		}
		v, err := e.work.Verify(ctx, strings.TrimPrefix(issued.VerifyURL, "https://penaltydoc.example/verify/"))
		if err != nil || v.Number != *issued.Number || v.SHA256 != doc.SHA256 || v.Party == cs.PartyName {
			t.Fatalf("verify %+v: %v", v, err)
		}
		executeAndClose(t, e, cs.ID)
	})
}

// executeAndClose pays the fine of case id (served 2026-11-02, due
// 2026-11-17) partly in time and the rest late with its late fee,
// drafts the reminder once overdue, and closes the case by the head's
// approval of the closing report.
func executeAndClose(t *testing.T, e *env, id uint) {
	ctx := context.Background()
	officer, clerk, approver := e.as(rules.RoleOfficer), e.as(rules.RoleClerk), e.as(rules.RoleApprover)
	if _, err := e.work.Draft(ctx, officer, id, rules.KindClosingReport); !errs.Is(err, errs.Conflict) {
		t.Fatalf("closing report of an unpaid case: %v", err)
	}
	e.at("2026-11-10")
	if _, err := e.work.RecordPayment(ctx, clerk, id, PaymentInput{Date: "2026-11-11", Amount: 100, Receipt: "A1"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("payment dated tomorrow: %v", err)
	}
	if _, err := e.work.RecordPayment(ctx, clerk, id, PaymentInput{Date: "2026-11-10", Amount: 5000, Receipt: "A1"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("payment beyond the fine: %v", err)
	}
	c, err := e.work.RecordPayment(ctx, clerk, id, PaymentInput{Date: "2026-11-10", Amount: 1000, Receipt: "3301000001"})
	e.must(err)
	if c.PaymentState != rules.PayPartial {
		t.Fatalf("state after 1000 of 3000: %s", c.PaymentState)
	}
	e.at("2026-11-20") // three days late on 2000: 3 × 60 = 180
	v, err := e.work.Case(ctx, officer, id)
	e.must(err)
	x := v.Execution
	if x == nil || x.LateFee != 180 || x.LateFeeDays != 3 || x.Outstanding != 2000 || !x.ReminderDue || !slices.Contains(v.Kinds, rules.KindReminder) {
		t.Fatalf("execution on 2026-11-20: %+v kinds %v", x, v.Kinds)
	}
	rem, err := e.work.Draft(ctx, officer, id, rules.KindReminder)
	e.must(err)
	pdf, _, err := e.work.PDF(ctx, officer, rem.ID)
	if err != nil || len(pdf) == 0 {
		t.Fatalf("reminder draft: %v", err)
	}
	_, err = e.work.RecordPayment(ctx, officer, id, PaymentInput{Date: "2026-11-20", Amount: 2180, Receipt: "3301000002"})
	e.must(err)
	v, err = e.work.Case(ctx, officer, id)
	e.must(err)
	if v.Case.PaymentState != rules.PayPaid || !v.Execution.Closable || !slices.Equal(v.Kinds, []string{rules.KindClosingReport}) {
		t.Fatalf("after paying fine and fee: %s %+v %v", v.Case.PaymentState, v.Execution, v.Kinds)
	}
	cl, err := e.work.Draft(ctx, officer, id, rules.KindClosingReport)
	e.must(err)
	if _, err := e.work.Submit(ctx, officer, cl.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.Approve(ctx, e.as(rules.RoleReviewer), cl.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("closing report approved by a reviewer: %v", err)
	}
	_, err = e.work.Approve(ctx, approver, cl.ID)
	e.must(err)
	iss, err := e.work.Issue(ctx, clerk, cl.ID)
	e.must(err)
	if iss.Number != nil || iss.AccessCode != "" || iss.ServiceReceiptID != 0 {
		t.Fatalf("closing report numbered or with an access code: %v %q %d", iss.Number, iss.AccessCode, iss.ServiceReceiptID)
	}
	if _, err := e.work.Serve(ctx, clerk, cl.ID, ServiceInput{Method: "direct", Date: "2026-11-20", Recipient: "李明"}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("served an internal document: %v", err)
	}
	v, err = e.work.Case(ctx, officer, id)
	e.must(err)
	if v.Case.Status != models.CaseClosed || v.CanPay {
		t.Fatalf("case after the closing report: %s pay %v", v.Case.Status, v.CanPay)
	}
	if _, err := e.work.RecordPayment(ctx, clerk, id, PaymentInput{Date: "2026-11-20", Amount: 1, Receipt: "X"}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("payment on a closed case: %v", err)
	}
}

// TestAnswerPeriodOneRule: an authority with no answer period of its own
// gives public-security matters 3 working days, in the notice it prints
// and in the workflow that waits for it (the workflow used to wait 5).
func TestAnswerPeriodOneRule(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02") // a Monday
		auth := &models.Authority{Name: "示例县公安局", ShortName: "示例公安", Domain: rules.DomainPublicSecurity,
			NumberPrefix: "示公（治）行罚决字", NoticePrefix: "示公（治）罚告字", ReconsiderationBody: "示例县人民政府",
			Court: "示例县人民法院", PaymentInstructions: "到指定银行缴纳", HearingFinePerson: 2000, HearingFineOrg: 10000,
			SealPNG: render.SampleSeal()}
		e.must(e.store.CreateAuthority(ctx, auth))
		auth.AnswerPeriodDays = 0 // an authority without a setting of its own
		e.must(e.store.UpdateAuthority(ctx, auth, true))
		e.join(auth.ID)
		in := CaseInput{Facts: rules.Facts{AuthorityID: auth.ID, ViolationCode: "YZD-001",
			Party:         rules.Party{Kind: rules.PartyOrganization, Name: "示例化工有限公司", CreditCode: "91330106MA2B3C4D5D", Address: "示例县工业园区8号"},
			ViolationDate: "2026-10-01", DiscoveredDate: "2026-10-20", Facts: "当事人运输甲苯未备案。", Harm: rules.HarmMinor,
			GoodsValue: 3000}}
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		cs, err := e.work.CreateCase(ctx, officer, e.named(in))
		e.must(err)
		notice, err := e.work.Draft(ctx, officer, cs.ID, rules.KindAdvanceNotice)
		e.must(err)
		e.approve(notice.ID)
		_, err = e.work.Issue(ctx, clerk, notice.ID)
		e.must(err)
		served, err := e.work.Serve(ctx, clerk, notice.ID, ServiceInput{Method: "direct", Date: "2026-11-02", Recipient: "法定代表人"})
		e.must(err)
		nd, err := e.store.DocumentPDF(ctx, models.Everything, notice.ID)
		e.must(err)
		var data render.Data
		e.must(json.Unmarshal([]byte(nd.DataJSON), &data))
		if data.Notice.AnswerDays != 3 || nd.AnswerDays != 3 || served.Deadlines.AnswerDue != "2026-11-05" {
			t.Fatalf("notice: printed %d days, stored %d, due %s", data.Notice.AnswerDays, nd.AnswerDays, served.Deadlines.AnswerDue)
		}
		dec, err := e.work.Draft(ctx, officer, cs.ID, rules.KindPenaltyDecision)
		e.must(err)
		e.approve(dec.ID)
		e.at("2026-11-05")
		if _, err := e.work.Issue(ctx, clerk, dec.ID); err == nil || !strings.Contains(err.Error(), "3个工作日") {
			t.Fatalf("decision on the period's last day: %v", err)
		}
		e.at("2026-11-06") // the fourth working day: the 3-day period has run out
		if _, err := e.work.Issue(ctx, clerk, dec.ID); err != nil {
			t.Fatalf("decision after the 3-day period: %v", err)
		}
	})
}

// TestIssueRendersWhatItLocked: a statement recorded after the issuer read
// the document, a moment before its transaction, is in the issued PDF's
// data (it was read inside the transaction, not before it).
func TestIssueRendersWhatItLocked(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		cs, err := e.work.CreateCase(ctx, officer, e.named(priceCase()))
		e.must(err)
		notice, err := e.work.Draft(ctx, officer, cs.ID, rules.KindAdvanceNotice)
		e.must(err)
		e.approve(notice.ID)
		_, err = e.work.Issue(ctx, clerk, notice.ID)
		e.must(err)
		_, err = e.work.Serve(ctx, clerk, notice.ID, ServiceInput{Method: "direct", Date: "2026-11-02", Recipient: "李明"})
		e.must(err)
		dec, err := e.work.Draft(ctx, officer, cs.ID, rules.KindPenaltyDecision)
		e.must(err)
		e.approve(dec.ID)
		e.at("2026-11-20")
		const said = "当事人陈述称系新员工疏忽，本局经复核认为不属于法定从轻情节，不予采纳。"
		e.work.beforeIssue = func() {
			if _, err := e.work.RecordStatement(ctx, officer, cs.ID, StatementInput{Statement: said}); err != nil {
				t.Error(err)
			}
		}
		_, err = e.work.Issue(ctx, clerk, dec.ID)
		e.must(err)
		doc, err := e.store.DocumentPDF(ctx, models.Everything, dec.ID)
		e.must(err)
		if !strings.Contains(doc.DataJSON, said) {
			t.Fatal("the statement recorded before the issuing transaction is not in the decision")
		}
		if text := pdfText(t, doc.PDF); text != "" && !strings.Contains(strings.ReplaceAll(text, "\n", ""), "新员工疏忽") {
			t.Errorf("the PDF does not print the statement:\n%s", text)
		}
	})
}

// pdfText extracts a PDF's text with pdftotext, or "" where the tool is
// missing (the data check above still runs).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed (poppler-utils): PDF text not checked")
		return ""
	}
	cmd := exec.Command(path, "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestDependencies: casework speaks no HTTP. Its own files import neither
// gin nor net/http, and nothing it depends on is gin or the server.
// (net/http is in its graph only through pdfcpu and excelize, as clients.)
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`+"\n---\n"+`{{join .Deps "\n"}}`, ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	own, deps, _ := strings.Cut(string(out), "---")
	for _, imp := range strings.Fields(own) {
		if imp == "net/http" || strings.HasPrefix(imp, "net/http/") || strings.Contains(imp, "gin-gonic") {
			t.Errorf("casework imports %s", imp)
		}
	}
	for _, dep := range strings.Fields(deps) {
		if strings.Contains(dep, "gin-gonic") || dep == "penaltydoc/server" || dep == "net/http/httptest" {
			t.Errorf("casework depends on %s", dep)
		}
	}
}

// TestTrafficWarningHistory: the first-violation warning counts traffic
// violations of the driver and of the vehicle only. A food-licence
// decision against the driver does not take his warning away; a traffic
// decision against another driver of the same vehicle does.
func TestTrafficWarningHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2026-11-02")
		officer, clerk := e.as(rules.RoleOfficer), e.as(rules.RoleClerk)
		driver := rules.Party{Kind: rules.PartyPerson, Name: "李四", IDNumber: "330106198506121237", Address: "杭州市西湖区"}
		other := rules.Party{Kind: rules.PartyPerson, Name: "王五", IDNumber: "11010519491231002X", Address: "杭州市上城区"}
		issueOnTheSpot := func(in CaseInput) {
			t.Helper()
			cs, err := e.work.CreateCase(ctx, officer, e.named(in))
			e.must(err)
			d, err := e.work.Draft(ctx, officer, cs.ID, "")
			e.must(err)
			e.approve(d.ID)
			_, err = e.work.Issue(ctx, clerk, d.ID)
			e.must(err)
		}
		// A decision of another domain against the driver (a market
		// regulation warning decision, on the spot).
		issueOnTheSpot(CaseInput{Facts: rules.Facts{AuthorityID: 1, ViolationCode: "SP-003", Party: driver,
			ViolationDate: "2026-10-01", DiscoveredDate: "2026-10-01", Facts: "未建立进货查验记录。", PriorViolations: []rules.PriorViolation{{ViolationCode: "SP-003", Date: "2025-12-01", Handled: true}}}})
		lane := func(p rules.Party, plate string) CaseInput {
			return CaseInput{Facts: rules.Facts{AuthorityID: 3, ViolationCode: "TR-001", Party: p, VehiclePlate: plate,
				ViolationDate: "2026-10-20", DiscoveredDate: "2026-10-20", Facts: "右转车道直行，未影响通行。", Corrected: true}}
		}
		ev, err := e.work.Evaluate(ctx, officer, lane(driver, "浙A12345"))
		e.must(err)
		if ev.Evaluation.Outcome != rules.OutcomeWarning {
			t.Fatalf("a food decision took the traffic warning away: %+v", ev.Evaluation.Reasons)
		}
		// Another driver's traffic decision for the same vehicle.
		issueOnTheSpot(CaseInput{Facts: rules.Facts{AuthorityID: 3, ViolationCode: "TR-005", Party: other, VehiclePlate: "浙A·12345",
			ViolationDate: "2026-09-01", DiscoveredDate: "2026-09-01", Facts: "闯红灯。", ProposedFine: 200}})
		ev, err = e.work.Evaluate(ctx, officer, lane(driver, "浙A 12345"))
		e.must(err)
		if ev.Evaluation.Outcome == rules.OutcomeWarning || len(ev.Evaluation.HistoryUsed) != 1 || ev.Evaluation.HistoryUsed[0].Via != "vehicle" {
			t.Fatalf("the vehicle's record did not count: %s %+v", ev.Evaluation.Outcome, ev.Evaluation.HistoryUsed)
		}
		// Jurisdiction: the market regulation bureau cannot decide it.
		in := lane(driver, "浙A12345")
		in.AuthorityID = 1
		if _, err := e.work.Evaluate(ctx, officer, in); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "violation_code") {
			t.Fatalf("a traffic case at the market regulation bureau: %v", err)
		}
		// The same id number under another name: a warning, not a refusal.
		renamed := lane(rules.Party{Kind: rules.PartyPerson, Name: "李肆", IDNumber: driver.IDNumber}, "")
		ev, err = e.work.Evaluate(ctx, officer, renamed)
		e.must(err)
		if len(ev.Evaluation.Warnings) == 0 || !strings.Contains(strings.Join(ev.Evaluation.Warnings, ""), "李四") {
			t.Fatalf("no warning for a changed name: %v", ev.Evaluation.Warnings)
		}
	})
}

// TestNewNeedsAccessKeys: without the server secret's keys there is no
// service (no silent default that would lose every code at a restart).
func TestNewNeedsAccessKeys(t *testing.T) {
	store, err := models.Open(t.Context(), dbtest.SQLite(t).DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	r, err := sharedRenderer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Store: store, Renderer: r}); err == nil || !strings.Contains(err.Error(), "access code keys") {
		t.Fatalf("New without keys: %v", err)
	}
}
