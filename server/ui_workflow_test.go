package main

import (
	"fmt"
	"net/url"
	"penaltydoc/models"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	docRE      = regexp.MustCompile(`<div class="doc" id="doc-(\d+)">`)
	codeRE     = regexp.MustCompile(`id="access-code">([^<]+)<`)
	numberRE   = regexp.MustCompile(`id="issued-number">([^<]+)<`)
	receiptRE  = regexp.MustCompile(`href="/documents/(\d+)/pdf"[^>]*id="receipt-pdf"`)
	flashMatch = func(loc, flash string) bool { return strings.HasSuffix(loc, "?done="+flash) }
)

// lastDoc is the id of the newest document on a case page.
func lastDoc(t *testing.T, page string) string {
	t.Helper()
	m := docRE.FindAllStringSubmatch(page, -1)
	if m == nil {
		t.Fatal("no document on the case page")
	}
	return m[len(m)-1][1]
}

// TestWebPenaltyPath takes the full penalty procedure through the staff
// pages: advance notice (two-stage approval), issue, service with a bad
// form first, the party's statement, the decision refused within the answer
// period and issued after it, the work queues and batch print.
func TestWebPenaltyPath(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		clock := useClock(e)
		clock.set(-20 * 24 * time.Hour)
		caseID := newPenaltyCase(t, e)
		cp := fmt.Sprintf("/cases/%d", caseID)
		off, rev, apr, clk := e.signIn(t, officer), e.signIn(t, reviewer), e.signIn(t, approver), e.signIn(t, clerk)
		expect := func(w *webClient, path string, form url.Values, flash string) {
			t.Helper()
			st, body, h := w.post(path, form)
			if st != 303 || !flashMatch(h.Get("Location"), flash) {
				t.Fatalf("POST %s: %d %s: %s", path, st, h.Get("Location"), text(body))
			}
		}
		_, page, _ := off.get(cp)
		for _, want := range []string{"须经法制审核", "应告知听证权利", "行政处罚事先告知书", "¥"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		// The advance notice: drafted, submitted, legal review, approval.
		expect(off, cp+"/documents", url.Values{"kind": {"advance_notice"}}, "document")
		_, page, _ = off.get(cp)
		notice := lastDoc(t, page)
		np := "/documents/" + notice
		expect(off, np+"/submit", nil, "submitted")
		_, page, _ = apr.get("/queue")
		if !strings.Contains(text(page), "行政处罚事先告知书") || !strings.Contains(text(page), "待负责人批准") {
			t.Error("the head's queue lacks the notice")
		}
		// The head approves a notice; the legal reviewer cannot.
		if st, page, _ := rev.post(np+"/approve", nil); st != 403 || !strings.Contains(page, "负责人批准") {
			t.Fatalf("a reviewer approves the notice: %d", st)
		}
		// A return needs a comment: the message on the case page, 422.
		st, page, _ := rev.post(np+"/return", url.Values{"comment": {" "}})
		if st != 422 || !strings.Contains(page, "退回须写明意见") || !strings.Contains(page, "<details class=\"sub\" open>") {
			t.Fatalf("return without comment: %d", st)
		}
		expect(apr, np+"/approve", nil, "approved") // not a decision: the head's approval alone
		_, page, _ = clk.get("/queue")
		if !strings.Contains(page, "/cases/"+fmt.Sprint(caseID)+"#doc-"+notice) {
			t.Error("the clerk's queue lacks the approved notice")
		}
		st, page, _ = clk.post(np+"/issue", nil)
		code, number := codeRE.FindStringSubmatch(page), numberRE.FindStringSubmatch(page)
		if st != 200 || code == nil || number == nil || !accessCodeRE.MatchString(code[1]) || receiptRE.FindStringSubmatch(page) == nil {
			t.Fatalf("issue page: %d %s", st, text(page))
		}
		// Issued twice: the message, nothing else.
		if st, page, _ = clk.post(np+"/issue", nil); st != 409 || !strings.Contains(page, "不能重复签发") {
			t.Fatalf("second issue: %d", st)
		}
		// Service: a bad form keeps what was typed.
		st, page, _ = clk.post(np+"/serve", url.Values{"method": {"fax"}, "date": {"2020-13-01"}, "recipient": {""}, "place": {"当事人住所"}})
		if st != 422 || !strings.Contains(page, "送达方式无效") || !strings.Contains(page, "送达日期应为") || !strings.Contains(page, "请填写受送达人") || inputValue(page, "place") != "当事人住所" {
			t.Fatalf("bad service form: %d %s", st, text(page))
		}
		issueDate := time.Now().Add(-20 * 24 * time.Hour).In(models.China).Format("2006-01-02")
		expect(clk, np+"/serve", url.Values{"method": {"direct"}, "date": {issueDate}, "recipient": {"张某"}, "place": {"当事人住所"}}, "served")
		_, page, _ = off.get(cp)
		if !strings.Contains(page, "陈述、申辩期限至") {
			t.Error("the served notice shows no answer deadline")
		}

		// The statement: a hearing needs its result.
		st, page, _ = off.post(cp+"/statement", url.Values{"statement": {"当事人称系初次违法。"}, "hearing_held": {"1"}})
		if st != 422 || !strings.Contains(page, "请填写听证情况") || !strings.Contains(page, "当事人称系初次违法。</textarea>") {
			t.Fatalf("statement without hearing result: %d", st)
		}
		expect(off, cp+"/statement", url.Values{"statement": {"当事人陈述称系初次违法，本局经复核认为其理由不能成立，不予采纳。"}}, "statement")

		// The decision: refused within the answer period, issued after it.
		expect(off, cp+"/documents", url.Values{"kind": {"penalty_decision"}}, "document")
		_, page, _ = off.get(cp)
		dec := lastDoc(t, page)
		dp := "/documents/" + dec
		expect(off, dp+"/submit", nil, "submitted")
		// Two stages: the head cannot approve before the legal review.
		if st, page, _ = apr.post(dp+"/approve", nil); st != 403 || !strings.Contains(page, "法制审核") {
			t.Fatalf("approval before review: %d", st)
		}
		expect(rev, dp+"/approve", nil, "reviewed")
		_, page, _ = apr.get("/queue")
		if !strings.Contains(text(page), "待负责人批准") {
			t.Error("the approver's queue lacks the reviewed decision")
		}
		expect(apr, dp+"/approve", nil, "approved")
		if st, page, _ = clk.post(dp+"/issue", nil); st != 422 || !strings.Contains(page, "期满后方可签发") {
			t.Fatalf("issue within the answer period: %d %s", st, text(page))
		}
		clock.set(0) // twenty days on: the sessions of then have expired
		clk, off, rev = e.signIn(t, clerk), e.signIn(t, officer), e.signIn(t, reviewer)
		st, page, _ = clk.post(dp+"/issue", nil)
		if st != 200 || codeRE.FindStringSubmatch(page) == nil {
			t.Fatalf("issue decision: %d %s", st, text(page))
		}
		_, page, _ = clk.get(cp)
		if !strings.Contains(page, "执行中") || !strings.Contains(page, "行罚决字") || !strings.Contains(page, "payment-form") {
			t.Errorf("case not executing with the decision's number and the payment form")
		}
		// Print: both, merged; a draft id is refused with the message.
		st, page, _ = clk.get("/print")
		if st != 200 || !strings.Contains(page, `value="`+notice+`"`) || !strings.Contains(page, `value="`+dec+`"`) {
			t.Fatalf("print list: %d", st)
		}
		st, pdf, h := clk.get("/print/pdf?ids=" + notice + "&ids=" + dec)
		if st != 200 || h.Get("Content-Type") != "application/pdf" || pageCount(t, []byte(pdf)) < 2 {
			t.Fatalf("print: %d %s", st, h.Get("Content-Type"))
		}
		if st, page, _ = clk.get("/print/pdf"); st != 422 || !strings.Contains(page, "请选择要打印的文书") {
			t.Errorf("print nothing: %d", st)
		}
		// The draft PDF (样稿) through the web route, for any signed-in user.
		expect(off, dp+"/correct", url.Values{"reason": {"决定书的当事人住址有误"}}, "corrected")
		_, page, _ = off.get(cp)
		st, _, h = rev.get("/documents/" + lastDoc(t, page) + "/pdf")
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Errorf("draft pdf: %d", st)
		}
	})
}
