package templates_test

import (
	"context"
	"testing"

	"penaltydoc/render"
	"penaltydoc/rules"
	"penaltydoc/templates"
)

// Every default template parses (which also runs it against the sample
// data) and renders for a person and an organisation, issued and draft.
func TestDefaultsRender(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	if len(templates.Kinds()) != len(render.Kinds()) {
		t.Fatalf("templates for %v, render knows %v", templates.Kinds(), render.Kinds())
	}
	for kind, body := range templates.All() {
		tp, err := render.Parse(kind, body)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		for _, party := range []string{rules.PartyPerson, rules.PartyOrganization} {
			for _, draft := range []bool{false, true} {
				d := render.SampleData(kind, party)
				d.Draft = draft
				pdf, err := r.Render(context.Background(), tp, d)
				if err != nil {
					t.Errorf("%s/%s draft=%v: %v", kind, party, draft, err)
				} else if len(pdf) < 1000 {
					t.Errorf("%s/%s: %d bytes", kind, party, len(pdf))
				}
			}
		}
	}
	if _, err := templates.Default("nonsense"); err == nil {
		t.Error("Default(nonsense) succeeded")
	}
}
