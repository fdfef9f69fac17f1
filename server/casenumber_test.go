package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"penaltydoc/models"
)

// TestCaseNumbers: a case takes its file number (立案编号) from its
// authority's case series when it is filed; the API answers it, the case
// list finds the case by it, and the pages call the case by it.
func TestCaseNumbers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		year := time.Now().In(models.China).Year()
		var numbers []string
		for i := range 2 {
			var cs struct {
				ID     uint   `json:"id"`
				Number string `json:"number"`
			}
			e.doJSON("POST", "/api/v1/cases", e.tokens[officer], map[string]any{
				"authority_id": 3, "violation_code": "TR-001",
				"party":          map[string]any{"kind": "person", "name": fmt.Sprintf("张某%d", i), "id_number": "33110219880719016X"},
				"violation_date": "2026-10-08", "discovered_date": "2026-10-08",
				"facts": "当事人驾驶小型轿车在右转车道内直行，未影响其他车辆正常通行。", "harm": "none",
			}, 201, &cs)
			if want := fmt.Sprintf("杭公交（立）字〔%d〕%d号", year, i+1); cs.Number != want {
				t.Errorf("case %d: number %q, want %q", cs.ID, cs.Number, want)
			}
			numbers = append(numbers, cs.Number)
		}
		var list struct {
			Cases []struct {
				Number string `json:"number"`
			} `json:"cases"`
		}
		e.doJSON("GET", "/api/v1/cases?q="+url.QueryEscape(numbers[1]), e.tokens[officer], nil, 200, &list)
		if len(list.Cases) != 1 || list.Cases[0].Number != numbers[1] {
			t.Errorf("search by %s: %+v", numbers[1], list.Cases)
		}
		w := e.signIn(t, officer)
		if _, page, _ := w.get("/cases"); !strings.Contains(page, numbers[0]) || strings.Contains(page, ">案件1<") {
			t.Errorf("the case list does not show the case numbers")
		}
		if _, page, _ := w.get("/cases/1"); !strings.Contains(page, "<h1>"+numbers[0]) {
			t.Errorf("the case page is not titled by its number")
		}
	})
}
