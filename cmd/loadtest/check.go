package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
)

// checkedDoc is a document as the checks see it (GET /api/v1/cases/{id}).
type checkedDoc struct {
	ID        uint   `json:"id"`
	CaseID    uint   `json:"case_id"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Number    string `json:"number"`
	SHA256    string `json:"sha256"`
	VerifyURL string `json:"verify_url"`
}

// numberRE splits an official number, 杭市监不罚〔2026〕12号, into its
// sequence (the authority's prefix and the year) and its serial.
var numberRE = regexp.MustCompile(`^(.+〔\d{4}〕)(\d+)号$`)

// parseNumber answers the sequence and the serial of an official number.
func parseNumber(n string) (series string, serial int, ok bool) {
	m := numberRE.FindStringSubmatch(n)
	if m == nil {
		return "", 0, false
	}
	serial, err := strconv.Atoi(m[2])
	if err != nil || serial <= 0 {
		return "", 0, false
	}
	return m[1], serial, true
}

// seriesSummary is what the numbering check found in one sequence.
type seriesSummary struct {
	Series string
	Count  int // numbered documents
	Max    int
}

// numberingProblems checks that the numbers of docs are, per sequence,
// exactly 1…max: no gap and no repeat. It answers a summary per sequence
// and every problem found.
func numberingProblems(docs []checkedDoc) ([]seriesSummary, []string) {
	bySeries := map[string][]int{}
	holders := map[string][]uint{} // number → documents
	var problems []string
	for _, d := range docs {
		if d.Number == "" {
			continue
		}
		series, serial, ok := parseNumber(d.Number)
		if !ok {
			problems = append(problems, fmt.Sprintf("document %d: number %q is not of the form 前缀〔年〕N号", d.ID, d.Number))
			continue
		}
		bySeries[series] = append(bySeries[series], serial)
		holders[d.Number] = append(holders[d.Number], d.ID)
	}
	names := make([]string, 0, len(bySeries))
	for s := range bySeries {
		names = append(names, s)
	}
	slices.Sort(names)
	var sums []seriesSummary
	for _, s := range names {
		serials := bySeries[s]
		slices.Sort(serials)
		sums = append(sums, seriesSummary{Series: s, Count: len(serials), Max: serials[len(serials)-1]})
		next := 1
		for i, n := range serials {
			if i > 0 && n == serials[i-1] {
				num := fmt.Sprintf("%s%d号", s, n)
				problems = append(problems, fmt.Sprintf("number %s repeated: documents %v", num, holders[num]))
				continue
			}
			if n > next {
				problems = append(problems, fmt.Sprintf("%s: gap, no document numbered %s", s, gapText(s, next, n-1)))
			}
			next = n + 1
		}
	}
	return sums, problems
}

func gapText(series string, from, to int) string {
	if from == to {
		return fmt.Sprintf("%s%d号", series, from)
	}
	return fmt.Sprintf("%s%d号 to %d号", series, from, to)
}

// ledgerProblems checks that every document the service acknowledged as
// issued is there with the number and hash it answered.
func ledgerProblems(acked []issued, docs []checkedDoc) []string {
	byID := make(map[uint]checkedDoc, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	var problems []string
	for _, a := range acked {
		d, ok := byID[a.ID]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("document %d (%s) was acknowledged as issued and is gone", a.ID, a.Number))
		case d.Number != a.Number || d.SHA256 != a.SHA256:
			problems = append(problems, fmt.Sprintf("document %d was issued as %s (SHA-256 %s) and is now %q (%s, status %s)",
				a.ID, a.Number, a.SHA256, d.Number, d.SHA256, d.Status))
		}
	}
	return problems
}

// unacknowledged are the numbered docs not among acked.
func unacknowledged(acked []issued, docs []checkedDoc) []checkedDoc {
	seen := make(map[uint]bool, len(acked))
	for _, a := range acked {
		seen[a.ID] = true
	}
	var out []checkedDoc
	for _, d := range docs {
		if d.Number != "" && !seen[d.ID] {
			out = append(out, d)
		}
	}
	return out
}

// docProblems checks the fields of one document the numbering relies on.
func docProblems(d checkedDoc) []string {
	issuedLike := d.Status == "issued" || d.Status == "served" || d.Status == "superseded"
	var out []string
	switch {
	case d.Number != "" && !issuedLike:
		out = append(out, fmt.Sprintf("document %d has number %s but status %s", d.ID, d.Number, d.Status))
	case issuedLike && len(d.SHA256) != 64:
		out = append(out, fmt.Sprintf("document %d (%s, %s) has status %s and no SHA-256", d.ID, d.Kind, d.Number, d.Status))
	case issuedLike && d.Number == "" && d.Kind != "service_receipt":
		out = append(out, fmt.Sprintf("document %d (%s) has status %s and no number", d.ID, d.Kind, d.Status))
	}
	return out
}

// checkResult is what the after-run checks found.
type checkResult struct {
	Cases, Documents, Numbered, PDFs int
	Series                           []seriesSummary
	// Unacknowledged are the numbered documents whose issue no client saw
	// answered 200 (its answer lost in a fault, or older data).
	Unacknowledged []checkedDoc
	Problems       []string
}

// checkService reads every case and document through the API as admin,
// checks the numbers, fetches every issued document's PDF and compares
// its SHA-256 with the one the document and its verify page answer, and
// holds the service to every issue it acknowledged. An issued service
// receipt is read as its authority's clerk (clerks): only clerks open it.
func checkService(ctx context.Context, a *api, admin *account, clerks map[uint]*account, acked []issued, workers int) (checkResult, error) {
	var res checkResult
	var caseIDs []uint
	for page := 1; ; page++ {
		var list struct {
			Cases []struct {
				ID uint `json:"id"`
			} `json:"cases"`
			Total int `json:"total"`
		}
		if err := admin.call(ctx, a, "check", "GET", fmt.Sprintf("/api/v1/cases?page=%d&per_page=100", page), nil, 200, &list); err != nil {
			return res, err
		}
		for _, c := range list.Cases {
			caseIDs = append(caseIDs, c.ID)
		}
		if len(list.Cases) == 0 || len(caseIDs) >= list.Total {
			break
		}
	}
	res.Cases = len(caseIDs)

	var mu sync.Mutex
	var docs []checkedDoc
	var firstErr error
	problem := func(p ...string) {
		mu.Lock()
		res.Problems = append(res.Problems, p...)
		mu.Unlock()
	}
	ids := make(chan uint)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range ids {
				var cs struct {
					AuthorityID uint         `json:"authority_id"`
					Documents   []checkedDoc `json:"documents"`
				}
				if err := admin.call(ctx, a, "check", "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, 200, &cs); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				for _, d := range cs.Documents {
					problem(docProblems(d)...)
					if len(d.SHA256) == 64 {
						reader := admin
						if c := clerks[cs.AuthorityID]; d.Kind == "service_receipt" && c != nil {
							reader = c
						}
						problem(checkPDF(ctx, a, reader, d)...)
					}
				}
				mu.Lock()
				docs = append(docs, cs.Documents...)
				mu.Unlock()
			}
		})
	}
	for _, id := range caseIDs {
		ids <- id
	}
	close(ids)
	wg.Wait()
	if firstErr != nil {
		return res, firstErr
	}
	slices.SortFunc(docs, func(x, y checkedDoc) int { return int(x.ID) - int(y.ID) })
	res.Documents = len(docs)
	for _, d := range docs {
		if d.Number != "" {
			res.Numbered++
		}
		if len(d.SHA256) == 64 {
			res.PDFs++
		}
	}
	var numbering []string
	res.Series, numbering = numberingProblems(docs)
	res.Problems = append(res.Problems, numbering...)
	res.Problems = append(res.Problems, ledgerProblems(acked, docs)...)
	res.Unacknowledged = unacknowledged(acked, docs)
	return res, nil
}

// checkPDF fetches a document's PDF and compares its SHA-256 with the
// document's and with its verify page's.
func checkPDF(ctx context.Context, a *api, reader *account, d checkedDoc) []string {
	var pdf []byte
	if err := reader.call(ctx, a, "check", "GET", docPath(d.ID, "pdf"), nil, 200, &pdf); err != nil {
		return []string{fmt.Sprintf("document %d (%s): PDF: %v", d.ID, d.Number, err)}
	}
	var out []string
	if len(pdf) == 0 {
		out = append(out, fmt.Sprintf("document %d (%s): empty PDF", d.ID, d.Number))
	} else if sum := sha256Hex(pdf); sum != d.SHA256 {
		out = append(out, fmt.Sprintf("document %d (%s): PDF SHA-256 %s, document answers %s", d.ID, d.Number, sum, d.SHA256))
	}
	if d.VerifyURL == "" {
		if d.Number != "" {
			out = append(out, fmt.Sprintf("document %d (%s): no verify_url", d.ID, d.Number))
		}
		return out
	}
	v, err := a.verify(ctx, d.VerifyURL)
	switch {
	case err != nil:
		out = append(out, fmt.Sprintf("document %d (%s): verify: %v", d.ID, d.Number, err))
	case v.SHA256 != d.SHA256 || v.Number != d.Number:
		out = append(out, fmt.Sprintf("document %d (%s): verify answers %s / %s, document %s", d.ID, d.Number, v.Number, v.SHA256, d.SHA256))
	}
	return out
}
