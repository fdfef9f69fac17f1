package casework

import (
	"context"
	"strings"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/rules"
	"penaltydoc/rules/limits"
)

// DiscussionInput is the heads' collective discussion of a complex or
// major case (APL Art. 57 ¶2): its date, the heads who took part and what
// they concluded.
type DiscussionInput struct {
	Date         string `json:"date"`
	Participants string `json:"participants"`
	Conclusion   string `json:"conclusion"`
}

func (in DiscussionInput) check(today, filed string) (models.Discussion, error) {
	in.Date, in.Participants, in.Conclusion = strings.TrimSpace(in.Date), strings.TrimSpace(in.Participants), strings.TrimSpace(in.Conclusion)
	f := errs.Fields{}
	switch {
	case !rules.ValidDate(in.Date):
		f.Add("date", "讨论日期应为YYYY-MM-DD")
	case in.Date > today:
		f.Add("date", "讨论日期不得晚于今天")
	case in.Date < filed:
		f.Add("date", "讨论日期不得早于立案日期")
	}
	if in.Participants == "" {
		f.Add("participants", "请填写参加集体讨论的负责人")
	}
	if in.Conclusion == "" {
		f.Add("conclusion", "请填写集体讨论的结论")
	}
	limits.Participants.Check(f, "", in.Participants)
	limits.Conclusion.Check(f, "", in.Conclusion)
	if err := f.Err(); err != nil {
		return models.Discussion{}, err
	}
	return models.Discussion{Date: in.Date, Participants: in.Participants, Conclusion: in.Conclusion}, nil
}

// RecordDiscussion records the heads' collective discussion on case id
// until it is decided; the penalty decision of a complex or major case is
// approved only after it, and says it was discussed.
func (s *Service) RecordDiscussion(ctx context.Context, a Actor, id uint, in DiscussionInput) (*models.Case, error) {
	cs, err := s.store.CaseByID(ctx, a.Scope, id)
	if err != nil {
		return nil, err
	}
	dd, err := in.check(s.Today(), cs.DiscoveredDate)
	if err != nil {
		return nil, err
	}
	return s.store.RecordDiscussion(ctx, a.record(), id, dd)
}
