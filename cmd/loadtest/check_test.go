package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in     string
		series string
		serial int
		ok     bool
	}{
		{"杭市监不罚〔2026〕12号", "杭市监不罚〔2026〕", 12, true},
		{"杭公（治）行罚决字〔2026〕1号", "杭公（治）行罚决字〔2026〕", 1, true},
		{"杭公交（简）字〔2027〕305号", "杭公交（简）字〔2027〕", 305, true},
		{"杭市监不罚〔2026〕0号", "", 0, false},
		{"杭市监不罚〔2026〕号", "", 0, false},
		{"杭市监不罚[2026]3号", "", 0, false},
		{"〔2026〕3号", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		series, serial, ok := parseNumber(tt.in)
		if series != tt.series || serial != tt.serial || ok != tt.ok {
			t.Errorf("parseNumber(%q) = %q, %d, %v; want %q, %d, %v", tt.in, series, serial, ok, tt.series, tt.serial, tt.ok)
		}
	}
}

func TestNumberingProblems(t *testing.T) {
	docs := func(numbers ...string) []checkedDoc {
		out := make([]checkedDoc, len(numbers))
		for i, n := range numbers {
			out[i] = checkedDoc{ID: uint(i + 1), Number: n}
		}
		return out
	}
	const a, b = "甲罚〔2026〕", "乙罚〔2026〕"
	tests := []struct {
		name     string
		docs     []checkedDoc
		problems []string // substrings, one per problem, in order
		series   []seriesSummary
	}{
		{"none numbered", docs("", ""), nil, nil},
		{"1..3 in any order, unnumbered drafts between", docs(a+"2号", "", a+"1号", a+"3号"), nil,
			[]seriesSummary{{a, 3, 3}}},
		{"two series, each from 1", docs(a+"1号", b+"1号", b+"2号"), nil,
			[]seriesSummary{{b, 2, 2}, {a, 1, 1}}}, // by code point: 乙 before 甲
		{"the same prefix in another year is another series", docs(a+"1号", "甲罚〔2027〕1号"), nil,
			[]seriesSummary{{a, 1, 1}, {"甲罚〔2027〕", 1, 1}}},
		{"a gap", docs(a+"1号", a+"3号"), []string{"gap, no document numbered 甲罚〔2026〕2号"}, []seriesSummary{{a, 2, 3}}},
		{"a gap of several", docs(a+"1号", a+"5号"), []string{"甲罚〔2026〕2号 to 4号"}, nil},
		{"not from 1", docs(a + "2号"), []string{"gap, no document numbered 甲罚〔2026〕1号"}, nil},
		{"a repeat", docs(a+"1号", a+"2号", a+"2号"), []string{"number 甲罚〔2026〕2号 repeated: documents [2 3]"}, nil},
		{"a repeat and a gap", docs(a+"1号", a+"1号", a+"3号"), []string{"repeated", "gap"}, nil},
		{"a number of another form", docs("第3号"), []string{`number "第3号" is not of the form`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			series, problems := numberingProblems(tt.docs)
			if len(problems) != len(tt.problems) {
				t.Fatalf("problems %q, want %d like %q", problems, len(tt.problems), tt.problems)
			}
			for i, want := range tt.problems {
				if !strings.Contains(problems[i], want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], want)
				}
			}
			if tt.series != nil && !slices.Equal(series, tt.series) {
				t.Errorf("series %+v, want %+v", series, tt.series)
			}
		})
	}
}

func TestLedgerProblems(t *testing.T) {
	sum := strings.Repeat("a", 64)
	docs := []checkedDoc{{ID: 1, Number: "甲〔2026〕1号", SHA256: sum, Status: "issued"}, {ID: 2, Status: "approved"}}
	tests := []struct {
		name  string
		acked []issued
		want  string
	}{
		{"held", []issued{{ID: 1, Number: "甲〔2026〕1号", SHA256: sum}}, ""},
		{"gone", []issued{{ID: 3, Number: "甲〔2026〕2号", SHA256: sum}}, "acknowledged as issued and is gone"},
		{"lost its number", []issued{{ID: 2, Number: "甲〔2026〕2号", SHA256: sum}}, `is now "" (, status approved)`},
		{"another hash", []issued{{ID: 1, Number: "甲〔2026〕1号", SHA256: strings.Repeat("b", 64)}}, "was issued as 甲〔2026〕1号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ledgerProblems(tt.acked, docs)
			if tt.want == "" && len(got) != 0 || tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)) {
				t.Errorf("ledgerProblems = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDocProblems(t *testing.T) {
	sum := strings.Repeat("c", 64)
	tests := []struct {
		name string
		doc  checkedDoc
		want string
	}{
		{"draft", checkedDoc{ID: 1, Kind: "penalty_decision", Status: "draft"}, ""},
		{"approved, issue lost before commit", checkedDoc{ID: 1, Kind: "penalty_decision", Status: "approved"}, ""},
		{"issued", checkedDoc{ID: 1, Kind: "penalty_decision", Status: "issued", Number: "甲〔2026〕1号", SHA256: sum}, ""},
		{"receipt without number", checkedDoc{ID: 1, Kind: "service_receipt", Status: "served", SHA256: sum}, ""},
		{"numbered but approved", checkedDoc{ID: 1, Kind: "penalty_decision", Status: "approved", Number: "甲〔2026〕1号"}, "but status approved"},
		{"issued without hash", checkedDoc{ID: 1, Kind: "advance_notice", Status: "issued", Number: "甲〔2026〕1号"}, "no SHA-256"},
		{"issued without number", checkedDoc{ID: 1, Kind: "advance_notice", Status: "served", SHA256: sum}, "no number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := docProblems(tt.doc)
			if tt.want == "" && len(got) != 0 || tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)) {
				t.Errorf("docProblems = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnacknowledged(t *testing.T) {
	docs := []checkedDoc{{ID: 1, Number: "甲〔2026〕1号"}, {ID: 2, Number: "甲〔2026〕2号"}, {ID: 3}, {ID: 4, Number: "甲〔2026〕3号"}}
	got := unacknowledged([]issued{{ID: 1}, {ID: 4}}, docs)
	if len(got) != 1 || got[0].ID != 2 {
		t.Errorf("unacknowledged = %+v, want document 2", got)
	}
}
