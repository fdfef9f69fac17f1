package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"penaltydoc/rules"
)

// TestIDNumbers: the generated identity numbers pass the service's own
// check (rules.ValidIDNumber), and the check character agrees with it.
func TestIDNumbers(t *testing.T) {
	if got := idCheckChar("11010519491231002"); got != 'X' {
		t.Errorf("check char of the standard's example = %c, want X", got)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		id := idNumber(rng)
		if _, _, ok := rules.ValidIDNumber(id); !ok {
			t.Fatalf("%s is not a valid identity number", id)
		}
		if got, want := idCheckChar(id[:17]), rules.IDCheckChar(id[:17]); got != want {
			t.Fatalf("%s: check char %c, rules says %c", id, got, want)
		}
	}
}

// TestCaseFacts: every kind has the fields the service requires, its
// item, dates in order and not in the future.
func TestCaseFacts(t *testing.T) {
	now := time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC) // 09:00 in China
	today := "2026-03-01"
	for _, kind := range flowKinds {
		t.Run(kind, func(t *testing.T) {
			f := caseFacts(kind, 7, rand.New(rand.NewPCG(3, 4)), now)
			if f["authority_id"] != uint(7) || f["violation_code"] != flowItem(kind) {
				t.Errorf("authority %v, item %v", f["authority_id"], f["violation_code"])
			}
			vd, dd := f["violation_date"].(string), f["discovered_date"].(string)
			if vd == "" || dd == "" || vd > dd || dd > today {
				t.Errorf("violation %q, discovered %q, today %s", vd, dd, today)
			}
			party := f["party"].(map[string]any)
			if _, _, ok := rules.ValidIDNumber(party["id_number"].(string)); !ok || party["name"] == "" || party["kind"] != "person" {
				t.Errorf("party %v", party)
			}
			if f["facts"] == "" || len(f["evidence"].([]string)) == 0 || f["harm"] == "" {
				t.Errorf("facts %v", f)
			}
		})
	}
	if flowItem(flowOnTheSpot) != itemTraffic || flowItem(flowPenalty) != itemMarket || flowItem(flowNoPenalty) != itemMarket {
		t.Error("flow items")
	}
}
