package main

import (
	"bytes"
	"os"
	"os/exec"
	"penaltydoc/templates"
	"strings"
	"testing"
	"time"
)

// pdfText extracts a PDF's text with pdftotext, skipping the test with a
// clear message where poppler-utils is not installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils; .ci/run does): skipping text extraction")
	}
	f, err := os.CreateTemp(t.TempDir(), "*.pdf")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(pdf)
	f.Close()
	out, err := exec.Command("pdftotext", "-layout", f.Name(), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestTemplateVersionsAndPreview(t *testing.T) {
	pc := loadPublicCases(t)
	forEachDB(t, func(t *testing.T, e *testEnv) {
		var list struct {
			Templates []struct {
				Kind    string `json:"kind"`
				Version int    `json:"version"`
			} `json:"templates"`
		}
		e.doJSON("GET", "/api/v1/templates", e.tokens[officer], nil, 200, &list)
		if len(list.Templates) != len(templates.Kinds()) || len(list.Templates) != 8 {
			t.Fatalf("templates %+v", list)
		}
		var tpl struct {
			Body    string `json:"body"`
			Version int    `json:"version"`
		}
		e.doJSON("GET", "/api/v1/templates/penalty_decision", e.tokens[officer], nil, 200, &tpl)
		if tpl.Version != 1 || !strings.Contains(tpl.Body, "行政处罚决定书") {
			t.Fatalf("active template v%d", tpl.Version)
		}
		e.doJSON("GET", "/api/v1/templates/no_such_kind", e.tokens[officer], nil, 404, nil)

		// A broken body is refused with its line.
		var ae apiError
		broken := "@title 行政处罚决定书\n当事人：{{.Facts.Party.Name}}\n{{if .Fine}}罚款\n"
		e.doJSON("POST", "/api/v1/templates/penalty_decision/versions", e.tokens[admin], map[string]string{"body": broken}, 422, &ae)
		if ae.Error.Fields["line"] == "" || !strings.Contains(ae.Error.Message, "行") {
			t.Fatalf("broken template error %+v", ae)
		}
		// A field the data lacks fails the test render.
		e.doJSON("POST", "/api/v1/templates/penalty_decision/versions", e.tokens[admin], map[string]string{"body": "@title 决定书\n{{.NoSuchField}}\n"}, 422, &ae)

		// A case and its draft document keep template version 1.
		authID := setupPublic(t, e, pc)
		facts := pc.Cases[1].Facts
		facts["authority_id"] = authID
		var cs struct {
			ID float64 `json:"id"`
		}
		e.doJSON("POST", "/api/v1/cases", e.tokens[officer], facts, 201, &cs)
		var doc struct {
			ID              float64 `json:"id"`
			Kind            string  `json:"kind"`
			Status          string  `json:"status"`
			TemplateVersion int     `json:"template_version"`
		}
		caseID := jsonID(map[string]any{"id": cs.ID})
		e.doJSON("POST", "/api/v1/cases/"+caseID+"/documents", e.tokens[officer], map[string]string{"kind": "no_penalty_decision"}, 422, &ae)
		if ae.Error.Fields["kind"] == "" {
			t.Errorf("wrong kind not named: %+v", ae)
		}
		e.doJSON("POST", "/api/v1/cases/"+caseID+"/documents", e.tokens[officer], nil, 201, &doc)
		if doc.Kind != "penalty_decision" || doc.Status != "draft" || doc.TemplateVersion != 1 {
			t.Fatalf("document %+v", doc)
		}

		// A new version: the old stays, the document keeps version 1.
		body := strings.Replace(tpl.Body, "行政处罚决定书", "行政处罚决定书", 1) + "\n本决定书一式三份。\n"
		var created struct{ Version int }
		e.doJSON("POST", "/api/v1/templates/penalty_decision/versions", e.tokens[admin], map[string]string{"body": body}, 201, &created)
		if created.Version != 2 {
			t.Fatalf("new version %d", created.Version)
		}
		e.doJSON("GET", "/api/v1/templates/penalty_decision", e.tokens[officer], nil, 200, &tpl)
		if tpl.Version != 2 {
			t.Fatalf("active version %d", tpl.Version)
		}
		e.doJSON("GET", "/api/v1/documents/"+jsonID(map[string]any{"id": doc.ID}), e.tokens[officer], nil, 200, &doc)
		if doc.TemplateVersion != 1 {
			t.Fatalf("document moved to version %d", doc.TemplateVersion)
		}
		st, pdf, h := e.do("GET", "/api/v1/documents/"+jsonID(map[string]any{"id": doc.ID})+"/pdf", e.tokens[reviewer], nil)
		if st != 200 || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("draft pdf: %d %s", st, h.Get("Content-Type"))
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"行政处罚决定书", "示例化工有限公司", "91330421MA28ABCDE4"} {
			if !strings.Contains(text, want) {
				t.Errorf("draft lacks %q", want)
			}
		}
		if strings.Contains(text, "本决定书一式三份") {
			t.Error("draft rendered with the new version")
		}
		// Back to version 1.
		e.doJSON("POST", "/api/v1/templates/penalty_decision/versions/1/activate", e.tokens[admin], nil, 200, nil)
		e.doJSON("GET", "/api/v1/templates/penalty_decision", e.tokens[officer], nil, 200, &tpl)
		if tpl.Version != 1 {
			t.Fatalf("activate: version %d", tpl.Version)
		}

		// Preview: an unsaved body against given facts, by a template
		// editor (an officer may not execute bodies).
		e.doJSON("POST", "/api/v1/templates/preview", e.tokens[officer], map[string]any{"kind": "penalty_decision", "body": body}, 403, nil)
		st, pdf, h = e.do("POST", "/api/v1/templates/preview", e.tokens[editor], map[string]any{
			"kind": "penalty_decision", "body": body, "case": facts})
		if st != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("preview: %d %s", st, pdf)
		}
		if text := pdfText(t, pdf); !strings.Contains(text, "本决定书一式三份") || !strings.Contains(text, "示例化工有限公司") {
			t.Errorf("preview text lacks body or party:\n%s", text)
		}
		bad := map[string]any{}
		for k, v := range facts {
			bad[k] = v
		}
		bad["violation_date"] = "2031-01-01"
		e.doJSON("POST", "/api/v1/templates/preview", e.tokens[editor], map[string]any{"kind": "penalty_decision", "case": bad}, 422, &ae)
		if ae.Error.Fields["case.violation_date"] == "" {
			t.Errorf("preview case errors not prefixed: %+v", ae)
		}
	})
}

// TestHostileTemplateOverHTTP: the bodies of the attack report answer 422
// naming the limit within a second, and the server keeps serving.
func TestHostileTemplateOverHTTP(t *testing.T) {
	e := newEnv(t, envDB.SQLite(t))
	for _, body := range []string{
		`{{$s := "0123456789abcdef"}}{{range 40}}{{$s = print $s $s}}{{end}}@title {{len $s}}`,
		`{{$s := "0123456789abcdef"}}` + strings.Repeat(`{{$s = print $s $s}}`, 34) + "\n@title {{len $s}}",
		`{{$s := "0123456789abcdef"}}` + strings.Repeat(`{{$s = print $s $s}}`, 22) + strings.Repeat(`{{$t := print $s}}`, 2000) + "\n@title x",
	} {
		for _, path := range []string{"/api/v1/templates/preview", "/api/v1/templates/advance_notice/versions"} {
			start := time.Now()
			var ae apiError
			e.doJSON("POST", path, e.tokens[admin], map[string]any{"kind": "advance_notice", "body": body}, 422, &ae)
			if took := time.Since(start); took > time.Second {
				t.Errorf("%s answered after %v", path, took)
			}
			if !strings.Contains(ae.Error.Message, "超过") {
				t.Errorf("%s: %q names no limit", path, ae.Error.Message)
			}
		}
	}
	if st, _, _ := e.do("GET", "/healthz", "", nil); st != 200 {
		t.Fatalf("health after the attack: %d", st)
	}
}
