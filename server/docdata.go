package main

import (
	"context"
	"fmt"
	"slices"

	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// documentData assembles what a document's template prints from the
// database: the case, its facts and evaluation, the authority and the item.
func (s *Server) documentData(ctx context.Context, d *models.Document) (render.Data, error) {
	cs, err := s.store.CaseByID(ctx, d.CaseID)
	if err != nil {
		return render.Data{}, err
	}
	f, err := cs.Facts()
	if err != nil {
		return render.Data{}, err
	}
	ev, err := cs.Evaluation()
	if err != nil {
		return render.Data{}, err
	}
	auth, err := s.store.Authority(ctx, cs.AuthorityID)
	if err != nil {
		return render.Data{}, err
	}
	item, err := s.store.ItemByCode(ctx, cs.ViolationCode)
	if err != nil {
		return render.Data{}, err
	}
	data := caseData(auth, cs, f, item.Rule(), ev)
	data.Kind = d.Kind
	data.Draft = d.Status != models.DocIssued && d.Status != models.DocServed && d.Status != models.DocSuperseded
	if d.IssueDate != "" {
		data.IssueDate = d.IssueDate
	}
	if d.Number != nil {
		data.Number = *d.Number
	}
	if err := s.lifecycleData(ctx, d, &data); err != nil {
		return render.Data{}, err
	}
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		return render.Data{}, err
	}
	data.Holidays, data.Workdays = calendarLists(cal)
	return data, nil
}

// calendarLists gives the calendar's days as sorted lists, for templates'
// working-day functions.
func calendarLists(cal rules.Calendar) (holidays, workdays []string) {
	for d := range cal.Holidays {
		holidays = append(holidays, d)
	}
	for d := range cal.Workdays {
		workdays = append(workdays, d)
	}
	slices.Sort(holidays)
	slices.Sort(workdays)
	return holidays, workdays
}

// caseData fills render.Data from plain values; previews use it with facts
// that were never stored.
func caseData(auth *models.Authority, cs *models.Case, f rules.Facts, item rules.Item, ev rules.Evaluation) render.Data {
	data := render.Data{
		IssueDate: f.DecisionDate,
		Authority: render.Authority{
			Name: auth.Name, ShortName: auth.ShortName, ReconsiderationBody: auth.ReconsiderationBody,
			Court: auth.Court, PaymentInstructions: auth.PaymentInstructions, Address: auth.Address,
			Phone: auth.Phone, SealPNG: auth.SealPNG,
		},
		Case:       render.Case{FiledDate: f.DiscoveredDate},
		Facts:      f,
		Item:       item,
		Evaluation: ev,
		Notice:     render.Notice{AnswerDays: auth.AnswerPeriodDays, Hearing: ev.HearingRequired, Phone: auth.Phone},
	}
	if ev.Outcome == rules.OutcomePenalty {
		data.Fine = ev.Fine.Recommended
	}
	if cs != nil {
		data.Case.ID = fmt.Sprintf("%s案〔%s〕%d号", auth.ShortName, f.DiscoveredDate[:4], cs.ID)
		data.Statement, data.HearingHeld, data.HearingResult = cs.Statement, cs.HearingHeld, cs.HearingResult
	}
	return data
}
