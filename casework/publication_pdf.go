package casework

import (
	"context"
	"fmt"
	"reflect"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// publicationSummary is the information summary printed before the masked
// decision (总局令第45号 Art. 4 lists its items), in the template language.
const publicationSummary = `@title 行政处罚信息公示
@blank
@table 32 68
^行政处罚决定书文号|{{.Number}}
^当事人基本情况|{{.Facts.Party.Name}}{{if .IsOrganization}}{{with .Facts.Party.CreditCode}}<br>统一社会信用代码：{{.}}{{end}}{{with .Facts.Party.LegalRepresentative}}<br>法定代表人（负责人）：{{.}}{{end}}{{with .Facts.Party.Address}}<br>住所：{{.}}{{end}}{{end}}
^违法行为类型|{{.Item.Name}}
^行政处罚内容|{{join .Penalties "；"}}
^作出行政处罚决定的机关名称|{{.Authority.Name}}
^作出行政处罚决定的日期|{{dateCN .IssueDate}}
@end
@blank
@left 以下为行政处罚决定书全文（已依法对个人信息等内容作遮蔽处理）。
@pagebreak
`

// maskedPDF renders publication p's masked PDF: the summary, then the
// decision's text from its frozen render data through the template
// version it was issued with, the party as rules.PublicParty prints it and
// every text passed through rules.MaskText with the officer's names.
func (s *Service) maskedPDF(ctx context.Context, p *models.Publication) ([]byte, render.Data, error) {
	d, err := s.store.DocumentByID(ctx, models.Everything, p.DocumentID)
	if err != nil {
		return nil, render.Data{}, err
	}
	data, err := s.decisionData(ctx, d.ID)
	if err != nil {
		return nil, render.Data{}, err
	}
	t, err := s.publicationTemplate(ctx, d.Kind, d.TemplateVersion)
	if err != nil {
		return nil, render.Data{}, err
	}
	masked := maskData(data, p.MaskNames)
	pdf, err := s.renderer.Render(ctx, t, masked)
	if err != nil {
		return nil, render.Data{}, renderError(err)
	}
	return pdf, masked, nil
}

// publicationTemplate is the summary followed by the body of the kind's
// template version, parsed once.
func (s *Service) publicationTemplate(ctx context.Context, kind string, version int) (*render.Template, error) {
	key := templateKey{"publication:" + kind, version}
	if t, ok := s.templates.Load(key); ok {
		return t.(*render.Template), nil
	}
	tv, err := s.store.Template(ctx, kind, version)
	if err != nil {
		return nil, err
	}
	t, err := render.Parse(kind, publicationSummary+tv.Body)
	if err != nil {
		return nil, fmt.Errorf("publication template %s v%d: %w", kind, version, err)
	}
	s.templates.Store(key, t)
	return t, nil
}

// unmasked are the parts of the render data printed as they are: the
// authority's and the catalogue item's public data, the officers (public
// officials with their certificates), the calendar; the party is replaced
// whole.
var unmasked = map[string]bool{"Authority": true, "Item": true, "Case.Officers": true, "Holidays": true, "Workdays": true,
	"Facts.Party": true}

// maskData is the published form of a decision's render data: the party
// as rules.PublicParty prints it (a person's id number and address shown
// as removed), every other text through rules.MaskText with names, no
// verify address, access code or download address.
func maskData(data render.Data, names []string) render.Data {
	orig := data.Facts.Party
	opts := rules.MaskOptions{Party: orig, Names: names, Person: orig.Kind != rules.PartyOrganization}
	out := data
	deepCopy(reflect.ValueOf(&out).Elem()) // slices are shared with data: copy before masking in place
	maskValue(reflect.ValueOf(&out).Elem(), "", opts)
	pub := rules.PublicParty(orig)
	if opts.Person {
		if orig.IDNumber != "" {
			pub.IDNumber = rules.Removed
		}
		if orig.Address != "" {
			pub.Address = rules.Removed
		}
	}
	out.Facts.Party = pub
	out.VerifyURL, out.AccessCode, out.DownloadURL = "", "", ""
	out.Draft, out.Specimen = false, false
	return out
}

// maskValue masks every settable string under v (path names it) but the
// unmasked parts.
func maskValue(v reflect.Value, path string, o rules.MaskOptions) {
	if unmasked[path] {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(rules.MaskText(v.String(), o))
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			p := t.Field(i).Name
			if path != "" {
				p = path + "." + p
			}
			maskValue(v.Field(i), p, o)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // bytes (the seal)
			return
		}
		for i := 0; i < v.Len(); i++ {
			maskValue(v.Index(i), path, o)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			maskValue(v.Elem(), path, o)
		}
	}
}

// deepCopy gives every slice and pointer under v its own copy (the render
// data is plain values: strings, numbers, slices and structs of them).
func deepCopy(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				deepCopy(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := 0; i < c.Len(); i++ {
			deepCopy(c.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		v.Set(c)
		deepCopy(c.Elem())
	}
}

// errNotOut answers a public request for a publication that is not out.
var errNotOut = errs.E(errs.NotFound, "公示信息不存在")
