// Package templates holds the default template bodies for every document
// kind, in the template language of package render (docs/templates.md).
// The server loads them into the database as version 1 on first start;
// after that the database is the source of truth.
package templates

import (
	"embed"
	"fmt"
)

//go:embed *.tmpl
var files embed.FS

// Kinds lists the kinds that have a default template.
func Kinds() []string {
	return []string{"advance_notice", "penalty_decision", "no_penalty_decision", "on_the_spot_decision", "service_receipt",
		"hearing_notice", "reminder", "closing_report"}
}

// Default returns the default template body for a kind.
func Default(kind string) (string, error) {
	b, err := files.ReadFile(kind + ".tmpl")
	if err != nil {
		return "", fmt.Errorf("no default template for kind %q: %w", kind, err)
	}
	return string(b), nil
}

// All returns every default template body by kind.
func All() map[string]string {
	m := make(map[string]string, len(Kinds()))
	for _, k := range Kinds() {
		body, err := Default(k)
		if err != nil {
			panic(err) // the files are embedded: a missing one is a build mistake
		}
		m[k] = body
	}
	return m
}
