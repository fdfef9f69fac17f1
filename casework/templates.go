package casework

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

type templateKey struct {
	kind    string
	version int
}

// template returns a parsed version of a kind's template, from the cache.
func (s *Service) template(ctx context.Context, kind string, version int) (*render.Template, error) {
	key := templateKey{kind, version}
	if t, ok := s.templates.Load(key); ok {
		return t.(*render.Template), nil
	}
	tv, err := s.store.Template(ctx, kind, version)
	if err != nil {
		return nil, err
	}
	t, err := render.Parse(kind, tv.Body)
	if err != nil {
		return nil, fmt.Errorf("stored template %s v%d: %w", kind, version, err) // internal: a stored body always parsed
	}
	s.templates.Store(key, t)
	return t, nil
}

// renderError maps the renderer's errors: a template fault, a limit or a
// character the fonts lack is the user's to fix (422); anything else is
// internal.
func renderError(err error) error {
	var te *render.TemplateError
	var le *render.LimitError
	var uc *render.UnsupportedCharError
	switch {
	case errors.As(err, &te):
		fields := map[string]string{"body": te.Error()}
		if te.Line > 0 {
			fields["line"] = strconv.Itoa(te.Line)
		}
		return &errs.Error{Code: errs.Invalid, Message: te.Error(), Fields: fields}
	case errors.As(err, &le):
		fields := map[string]string{"body": le.Error()}
		if le.Line > 0 {
			fields["line"] = strconv.Itoa(le.Line)
		}
		return &errs.Error{Code: errs.Invalid, Message: le.Error(), Fields: fields}
	case errors.As(err, &uc):
		field := uc.Field
		if field == "" {
			field = "text"
		}
		return errs.Field(field, uc.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return errs.E(errs.Invalid, "文书生成超时，请简化模板")
	}
	return errs.Wrap(err, "render")
}

// Templates are the deployment's standard ones and each authority's own
// (models.TemplateVersion). The actor's templates are those of their home
// authority (the standard ones for the deployment's admins).

// Templates lists the version of every kind the actor's authority uses.
func (s *Service) Templates(ctx context.Context, a Actor) ([]models.TemplateVersion, error) {
	return s.store.ActiveTemplates(ctx, a.Home())
}

// ActiveTemplate is the version of a kind the actor's authority uses, with
// its body.
func (s *Service) ActiveTemplate(ctx context.Context, a Actor, kind string) (*models.TemplateVersion, error) {
	return s.store.ActiveTemplate(ctx, a.Home(), kind)
}

// TemplateVersions lists the versions of a kind the actor sees (the
// standard ones and their authorities' own), newest first, without bodies.
func (s *Service) TemplateVersions(ctx context.Context, a Actor, kind string) ([]models.TemplateVersion, error) {
	return s.store.TemplateVersions(ctx, a.Scope, kind)
}

// TemplateVersion is one version of a kind the actor sees, with its body.
func (s *Service) TemplateVersion(ctx context.Context, a Actor, kind string, version int) (*models.TemplateVersion, error) {
	return s.store.TemplateIn(ctx, a.Scope, kind, version)
}

// TemplateEditor is what the template editor shows: the version the
// actor's authority uses (with its body) and every version they see.
func (s *Service) TemplateEditor(ctx context.Context, a Actor, kind string) (*models.TemplateVersion, []models.TemplateVersion, error) {
	active, err := s.store.ActiveTemplate(ctx, a.Home(), kind)
	if err != nil {
		return nil, nil, err
	}
	versions, err := s.store.TemplateVersions(ctx, a.Scope, kind)
	if err != nil {
		return nil, nil, err
	}
	return active, versions, nil
}

// checkTemplate parses a body and test-renders it against sample cases of
// its kind, for a person and an organisation, so a saved template is known
// to work.
func (s *Service) checkTemplate(ctx context.Context, kind, body string) (*render.Template, error) {
	if strings.TrimSpace(body) == "" {
		return nil, errs.Field("body", "模板内容不能为空")
	}
	t, err := render.Parse(kind, body)
	if err != nil {
		return nil, renderError(err)
	}
	for _, party := range []string{rules.PartyPerson, rules.PartyOrganization} {
		if _, err := s.renderer.Render(ctx, t, render.SampleData(kind, party)); err != nil {
			return nil, renderError(fmt.Errorf("试排版（%s样例）：%w", rules.PartyKindName(party), err))
		}
	}
	return t, nil
}

// owner is whose templates the actor changes: authorityID when given (0:
// the actor's own), the standard ones for the deployment's admins.
func (a Actor) owner(authorityID uint) *uint {
	if authorityID == 0 {
		authorityID = a.Home()
	}
	if authorityID == 0 {
		return nil
	}
	return &authorityID
}

// SaveTemplate checks body (parse and test render) and stores it as the
// next version of kind for the authority authorityID (0: the actor's own;
// the standard templates for the deployment's admins), active when
// activate is set.
func (s *Service) SaveTemplate(ctx context.Context, a Actor, authorityID uint, kind, body string, activate bool) (*models.TemplateVersion, error) {
	if !rules.IsKind(kind) {
		return nil, errKind
	}
	if _, err := s.checkTemplate(ctx, kind, body); err != nil {
		return nil, err
	}
	return s.store.CreateTemplateVersion(ctx, a.record(), a.owner(authorityID), kind, body, activate)
}

// ActivateTemplate makes an earlier version of kind the one the authority
// authorityID (0: the actor's own) uses; the standard's active version
// takes the authority back to the standard.
func (s *Service) ActivateTemplate(ctx context.Context, a Actor, authorityID uint, kind string, version int) (*models.TemplateVersion, error) {
	return s.store.ActivateTemplate(ctx, a.record(), a.owner(authorityID), kind, version)
}

// PreviewInput is an unsaved template body (blank: the kind's active one)
// to render against case facts (nil: the sample case).
type PreviewInput struct {
	Kind string     `json:"kind"`
	Body string     `json:"body"`
	Case *CaseInput `json:"case"`
}

// PreviewTemplate renders a preview as a draft PDF; template faults come
// back as 422 errors with the line, faults in the case facts under
// "case.".
func (s *Service) PreviewTemplate(ctx context.Context, a Actor, in PreviewInput) ([]byte, error) {
	if !rules.IsKind(in.Kind) {
		return nil, errKind
	}
	data := render.SampleData(in.Kind, rules.PartyPerson)
	home := a.Home()
	if in.Case != nil {
		ev, err := s.evaluate(ctx, a, *in.Case, 0)
		if err != nil {
			return nil, prefixFields(err, "case.")
		}
		data = caseData(ev.Authority, nil, ev.Facts, ev.Item.Rule(), ev.Evaluation)
		home = ev.Authority.ID
		data.Kind = in.Kind
	}
	body := in.Body
	if strings.TrimSpace(body) == "" {
		tv, err := s.store.ActiveTemplate(ctx, home, in.Kind)
		if err != nil {
			return nil, err
		}
		body = tv.Body
	}
	t, err := render.Parse(in.Kind, body)
	if err != nil {
		return nil, renderError(err)
	}
	data.Draft = true
	pdf, err := s.renderer.Render(ctx, t, data)
	if err != nil {
		return nil, renderError(err)
	}
	return pdf, nil
}

// prefixFields moves an invalid error's fields under prefix.
func prefixFields(err error, prefix string) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{}, Err: e.Err}
	for k, v := range e.Fields {
		out.Fields[prefix+k] = v
	}
	return out
}
