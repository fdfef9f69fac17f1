package casework

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// PublicDecision is a publication as the public list shows it: the
// summary as published, nothing more.
type PublicDecision struct {
	ID            uint   `json:"id"`
	Number        string `json:"number"`
	PartyName     string `json:"party_name"`
	ItemName      string `json:"item_name"`
	Penalties     string `json:"penalties"`
	AuthorityName string `json:"authority_name"`
	DecisionDate  string `json:"decision_date"`
	PublishedDate string `json:"published_date"`
	EndDate       string `json:"end_date"`
	SHA256        string `json:"sha256"`
	// Gone says why a publication is no longer out (已撤回, 公示期满或已提前结束).
	Gone string `json:"gone,omitempty"`
}

// PublicSearch is the public list's search as entered.
type PublicSearch = models.PublicQuery

// PublicDecisions lists the publications out today matching q, one page,
// with their count; the authorities for the search's choice.
func (s *Service) PublicDecisions(ctx context.Context, q PublicSearch) ([]PublicDecision, int64, []models.Authority, error) {
	for _, d := range []*string{&q.From, &q.To} {
		if *d = strings.TrimSpace(*d); *d != "" && !rules.ValidDate(*d) {
			return nil, 0, nil, errs.Field("from", "日期应为YYYY-MM-DD")
		}
	}
	q.Party, q.Number, q.Item = strings.TrimSpace(q.Party), strings.TrimSpace(q.Number), strings.TrimSpace(q.Item)
	for _, v := range []string{q.Party, q.Number, q.Item} {
		if len([]rune(v)) > 100 {
			return nil, 0, nil, errs.Field("q", "检索词最长100字")
		}
	}
	ps, n, err := s.store.PublicDecisions(ctx, q, s.Today())
	if err != nil {
		return nil, 0, nil, err
	}
	as, err := s.store.ListAuthorities(ctx, models.Everything)
	if err != nil {
		return nil, 0, nil, err
	}
	out := make([]PublicDecision, len(ps))
	for i := range ps {
		out[i] = publicOf(&ps[i], as)
	}
	return out, n, as, nil
}

func publicOf(p *models.Publication, as []models.Authority) PublicDecision {
	d := PublicDecision{ID: p.ID, Number: p.Number, PartyName: p.PartyName, ItemName: p.ItemName, Penalties: p.Penalties,
		DecisionDate: p.DecisionDate, PublishedDate: p.PublishedDate, EndDate: p.EndDate, SHA256: p.SHA256}
	if i := slices.IndexFunc(as, func(a models.Authority) bool { return a.ID == p.AuthorityID }); i >= 0 {
		d.AuthorityName = as[i].Name
	}
	return d
}

// publicRecord loads publication id for the public: out (its summary), or
// taken down (Gone set, nothing else), or missing.
func (s *Service) publicRecord(ctx context.Context, id uint, withPDF bool) (*models.Publication, *PublicDecision, error) {
	p, err := s.store.Publication(ctx, models.Everything, id, withPDF)
	if err != nil {
		return nil, nil, errNotOut
	}
	switch {
	case p.Status == rules.PubWithdrawn && p.PublishedDate != "":
		return nil, &PublicDecision{ID: p.ID, Gone: "该行政处罚信息已撤回"}, nil
	case p.Status == rules.PubEnded || (p.Status == rules.PubPublished && p.EndDate != "" && p.EndDate < s.Today()):
		return nil, &PublicDecision{ID: p.ID, Gone: "该行政处罚信息公示期已结束，不再公示"}, nil
	case p.Status != rules.PubPublished:
		return nil, nil, errNotOut
	}
	as, err := s.store.ListAuthorities(ctx, models.Everything)
	if err != nil {
		return nil, nil, err
	}
	d := publicOf(p, as)
	return p, &d, nil
}

// PublicDecision is one publication for the public (Gone set when it was
// taken down; missing when it never went out).
func (s *Service) PublicDecision(ctx context.Context, id uint) (*PublicDecision, error) {
	_, d, err := s.publicRecord(ctx, id, false)
	return d, err
}

// PublicDecisionPDF is the masked PDF of a publication out now, with its
// file name.
func (s *Service) PublicDecisionPDF(ctx context.Context, id uint) ([]byte, string, error) {
	p, d, err := s.publicRecord(ctx, id, true)
	if err != nil {
		return nil, "", err
	}
	if p == nil || len(p.PDF) == 0 {
		return nil, "", errs.E(errs.NotFound, "%s", d.Gone)
	}
	return p.PDF, "行政处罚信息公示-" + p.Number + ".pdf", nil
}

// CreditColumns are the credit platforms' fields of a penalty (双公示
// 行政处罚), in their order.
var CreditColumns = []string{"行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "处罚决定书文号", "违法行为类型",
	"违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号",
	"处罚决定日期", "处罚有效期", "公示截止期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位"}

// MaxCreditRows bounds one export.
const MaxCreditRows = 20_000

// creditRows are the published publications of the actor's authorities
// (publication dates from..to) in the platforms' fields, masked as
// published.
func (s *Service) creditRows(ctx context.Context, a Actor, from, to string) ([][]string, error) {
	for _, d := range []string{from, to} {
		if d != "" && !rules.ValidDate(d) {
			return nil, errs.Field("from", "日期应为YYYY-MM-DD")
		}
	}
	ps, err := s.store.PublishedForExport(ctx, a.Scope, from, to, MaxCreditRows+1)
	if err != nil {
		return nil, err
	}
	if len(ps) > MaxCreditRows {
		return nil, errs.E(errs.Invalid, "超过一次导出的上限%d条，请按公示日期分段导出", MaxCreditRows)
	}
	as, err := s.store.ListAuthorities(ctx, models.Everything)
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(ps))
	for i := range ps {
		var data render.Data
		if err := json.Unmarshal([]byte(ps[i].MaskedData), &data); err != nil {
			return nil, errs.Wrap(err, "decode masked data")
		}
		var au models.Authority
		if j := slices.IndexFunc(as, func(x models.Authority) bool { return x.ID == ps[i].AuthorityID }); j >= 0 {
			au = as[j]
		}
		rows = append(rows, creditRow(&ps[i], data, &au))
	}
	if err := s.store.Audit(ctx, a.record(), "export_publications", "publication", 0, fmt.Sprintf("rows=%d from=%s to=%s", len(rows), from, to)); err != nil {
		return nil, err
	}
	return rows, nil
}

// creditRow is one publication in the platforms' fields. Amounts are in
// 万元 with six decimals (to the yuan's hundredth); dates YYYY/MM/DD; the
// penalty's validity (处罚有效期) is the end of its publication.
func creditRow(p *models.Publication, data render.Data, au *models.Authority) []string {
	party := data.Facts.Party
	kind, code, rep := "自然人", "", ""
	if party.Kind == rules.PartyOrganization {
		kind, code, rep = "法人及非法人组织", party.CreditCode, party.LegalRepresentative
	}
	var cats, licences []string
	for _, pe := range data.Evaluation.Penalties {
		if n := rules.PenaltyName(pe.Type); !slices.Contains(cats, n) {
			cats = append(cats, n)
		}
		if (pe.Type == rules.ImposeSuspendLicence || pe.Type == rules.ImposeRevokeLicence) && pe.Object != "" {
			licences = append(licences, pe.Object)
		}
	}
	wan := func(v float64) string {
		s := strconv.FormatFloat(v/10000, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return s
	}
	slash := func(d string) string { return strings.ReplaceAll(d, "-", "/") }
	name := data.Authority.Name
	if name == "" {
		name = au.Name
	}
	return []string{party.Name, kind, code, rep, p.Number, data.Item.Name, strings.TrimSpace(data.Facts.Facts),
		render.Articles(data.DecisionArticles()), strings.Join(cats, "；"), strings.Join(data.Penalties(), "；"),
		wan(data.Fine), wan(data.Confiscation), strings.Join(licences, "；"), slash(p.DecisionDate), slash(p.EndDate), slash(p.EndDate),
		name, au.CreditCode, name}
}

// ExportPublicationsCSV writes the credit platforms' rows as CSV (UTF-8
// with a byte-order mark, so that Excel reads the Chinese).
func (s *Service) ExportPublicationsCSV(ctx context.Context, a Actor, from, to string, w io.Writer) error {
	rows, err := s.creditRows(ctx, a, from, to)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return errs.Wrap(err, "write csv")
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CreditColumns); err != nil {
		return errs.Wrap(err, "write csv")
	}
	if err := cw.WriteAll(rows); err != nil {
		return errs.Wrap(err, "write csv")
	}
	return nil
}

// ExportPublicationsXLSX writes the credit platforms' rows as a workbook
// (one sheet, bold frozen header, as the case register).
func (s *Service) ExportPublicationsXLSX(ctx context.Context, a Actor, from, to string, w io.Writer) error {
	rows, err := s.creditRows(ctx, a, from, to)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "行政处罚"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return errs.Wrap(err, "export sheet")
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return errs.Wrap(err, "export stream")
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return errs.Wrap(err, "export style")
	}
	for i := range CreditColumns {
		wd := 16.0
		if i == 6 || i == 7 || i == 9 {
			wd = 40
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return errs.Wrap(err, "export width")
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return errs.Wrap(err, "export panes")
	}
	head := make([]any, len(CreditColumns))
	for i, c := range CreditColumns {
		head[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return errs.Wrap(err, "export head")
	}
	for n, r := range rows {
		row := make([]any, len(r))
		for i, v := range r {
			row[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return errs.Wrap(err, "export row")
		}
	}
	if err := sw.Flush(); err != nil {
		return errs.Wrap(err, "export flush")
	}
	if err := f.Write(w); err != nil {
		return errs.Wrap(err, "write export")
	}
	return nil
}
