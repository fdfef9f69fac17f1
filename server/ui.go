package main

// The staff web UI's plumbing: the session cookie, the sign-in check, CSRF,
// role checks answered with a Chinese 403 page, flash messages and the data
// every staff page shares. The handlers live in ui_*.go, one file per
// action; the pages in web/templates/ui_*.html.

import (
	"context"
	"crypto/subtle"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/errs"
	"penaltydoc/models"
	"penaltydoc/render"
	"penaltydoc/rules"
)

// uiPages are the staff pages, parsed at start with ui_layout.html.
var uiPages = []string{"ui_login", "ui_error", "ui_cases", "ui_case_form", "ui_case", "ui_issued", "ui_queue", "ui_print",
	"ui_admin_templates", "ui_admin_template", "ui_admin_catalog", "ui_admin_calendar", "ui_admin_users", "ui_admin_user",
	"ui_admin_authorities", "ui_admin_authority", "ui_account_password", "ui_admin_audit", "ui_admin_item",
	"ui_supervision", "ui_statistics", "ui_extension"}

const (
	sessionCookie = "penaltydoc_session"
	// loginCookie carries the sign-in form's CSRF token (double submit):
	// there is no session yet to hold it.
	loginCookie = "penaltydoc_login"
	// maxFormBody caps a staff form (the case facts are the largest).
	maxFormBody = 1 << 20
)

// uiBase is what every staff page shows: the user and role-appropriate
// navigation, the form token, a flash message and an error.
type uiBase struct {
	Title string
	User  *models.User
	CSRF  string
	Nav   string // the active navigation item
	Flash string
	Error string
}

// flashes are the fixed messages a redirect may ask for (?done=…): no text
// a user typed ever travels in a URL.
var flashes = map[string]string{
	"created":        "案件已保存，处理意见如下。",
	"updated":        "案件事实已更新，已重新评查。",
	"document":       "文书草稿已创建。",
	"submitted":      "文书已提交审核。",
	"reviewed":       "法制审核已通过，等待负责人批准。",
	"approved":       "文书已批准，等待签发。",
	"returned":       "文书已退回承办人修改。",
	"served":         "送达情况已记录。",
	"corrected":      "更正文书草稿已创建：请在下面修改需要更正的事实，保存后提交审核。",
	"revised":        "更正内容已保存，请预览样稿并提交审核。",
	"withdrawn":      "文书草稿已作废。",
	"case_withdrawn": "案件已撤回。",
	"statement":      "当事人陈述、申辩（听证）情况已记录。",
	"overridden":     "已改为给予行政处罚，理由已记入案卷。",
	"logout":         "您已退出登录。",
	"reviewed_sub":   "复核结论已记录，决定书将载明。",
	"consent":        "送达地址确认书已记录。",
	"email_served":   "电子送达邮件已由邮件服务器接受，送达已记录，电子送达回证已生成。",

	"template_saved":     "模板已保存为新版本并启用。",
	"template_activated": "已启用所选模板版本。",
	"imported":           "违法行为事项已导入。",
	"calendar":           "法定节假日安排已保存。",
	"user_created":       "用户已创建。",
	"discussion":         "集体讨论情况已记录。",
	"payment":            "缴款已记录。",
	"deferral":           "暂缓或者分期缴纳已记录。",
	"execution":          "执行情况已记录。",
	"hearing":            "听证情况已记录。",
	"user_updated":       "用户已保存。",
	"authority_saved":    "执法机关已保存。",
	"signing_key":        "签名证书已上传：此后签发的文书以该证书签名。证书密码未保存。",
	"password_changed":   "密码已修改。",
	"item_retired":       "事项已停用：已有案件不受影响，新建案件不再可选。",
	"item_reactivated":   "事项已重新启用。",
	"item_saved":         "事项已保存。",
	"user_deactivated":   "用户已停用，其登录已失效。",
	"user_reactivated":   "用户已重新启用。",
	"authority_created":  "执法机关已创建。请上传本机关的印章图片，否则不能签发文书。",
	"extended":           "办案期限已延长，延长的期限、理由和批准人已记入案卷。",
}

func (s *Server) base(c *gin.Context, title, nav string) uiBase {
	b := uiBase{Title: title, User: currentUser(c), Nav: nav, Flash: flashes[c.Query("done")]}
	if sess := currentSession(c); sess != nil {
		b.CSRF = sess.CSRFToken
	}
	return b
}

func currentSession(c *gin.Context) *models.Session {
	sess, _ := c.Request.Context().Value(sessionKey).(*models.Session)
	return sess
}

// ui renders a staff page: never cached, never framed.
func (s *Server) ui(c *gin.Context, status int, name string, data any) {
	c.Header("Cache-Control", "private, no-store")
	s.page(c, status, name, data)
	c.Abort()
}

type uiErrorPage struct {
	uiBase
	Status int
}

// uiError answers a staff request with a Chinese error page, logged and
// worded as explain says.
func (s *Server) uiError(c *gin.Context, err error) {
	e := explain(c, err)
	if clientGone(c, e) {
		return
	}
	st := status(e.Code)
	title := "出错了"
	switch st {
	case http.StatusForbidden:
		title = "无权访问"
	case http.StatusNotFound:
		title = "未找到"
	case http.StatusServiceUnavailable:
		title = "服务暂时不可用"
	}
	b := s.base(c, title, "")
	b.Error = e.Message
	s.ui(c, st, "ui_error", uiErrorPage{uiBase: b, Status: st})
}

var (
	errWebForbidden = errs.E(errs.Forbidden, "当前账号无权访问此页面或执行此操作。")
	errBadCSRF      = errs.E(errs.Forbidden, "页面已过期或请求来源无法确认，请返回上一页刷新后重试。")
)

// web is the staff UI's gate: the session cookie must name a live web
// session (else GET goes to the sign-in page and comes back, anything else
// to the sign-in page), a POST must carry the session's CSRF token, and the
// user must hold one of roles (Server.holds; none listed: any
// signed-in user).
func (s *Server) web(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, u, err := s.webSession(c)
		if err != nil {
			s.uiError(c, err)
			return
		}
		if u == nil {
			target := "/login"
			if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
				target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
			}
			c.Redirect(http.StatusSeeOther, target)
			c.Abort()
			return
		}
		ctx := context.WithValue(c.Request.Context(), userKey, u)
		ctx = context.WithValue(ctx, sessionKey, sess)
		c.Request = c.Request.WithContext(ctx)
		if c.Request.Method == http.MethodPost {
			if err := parseForm(c); err != nil {
				s.uiError(c, err)
				return
			}
			if !tokenEqual(c.Request.PostForm.Get("csrf_token"), sess.CSRFToken) {
				s.uiError(c, errBadCSRF)
				return
			}
		}
		if mustChange(c) { // a reset password: the change comes first
			c.Redirect(http.StatusSeeOther, "/account/password")
			c.Abort()
			return
		}
		if len(roles) > 0 && !s.holds(u, roles) {
			s.uiError(c, errWebForbidden)
			return
		}
		c.Next()
	}
}

// webSession resolves the session cookie; nil when there is none or it is
// not a live web session; an error only when the session could not be
// read (the database is unavailable …).
func (s *Server) webSession(c *gin.Context) (*models.Session, *models.User, error) {
	token, err := c.Cookie(sessionCookie)
	if err != nil || token == "" || len(token) > 100 {
		return nil, nil, nil
	}
	sess, u, err := s.work.Session(c.Request.Context(), token, casework.SessionWeb) // an API token is not a cookie
	if err != nil {
		if errs.Is(err, errs.Unauthorized) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	return sess, u, nil
}

// parseForm reads a form body, capped at maxFormBody; a multipart form (a
// file upload) at maxUploadBody, held in memory. A form that is not UTF-8
// (no browser sends one: the pages are UTF-8) is refused, so that no page
// shows it back broken.
func parseForm(c *gin.Context) error {
	if c.Request.PostForm != nil {
		return nil
	}
	if err := readForm(c); err != nil {
		return err
	}
	notUTF8 := func(v string) bool { return !utf8.ValidString(v) }
	for k, vs := range c.Request.PostForm {
		if notUTF8(k) || slices.ContainsFunc(vs, notUTF8) {
			return errs.E(errs.BadRequest, "表单内容含有无效的字符编码，请返回重新填写。")
		}
	}
	return nil
}

func readForm(c *gin.Context) error {
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		// Up to maxUploadBody in all, of which at most maxFormBody in memory
		// (file parts beyond it go to temporary files): the role check comes
		// after this, so a signed-in user cannot make the server hold a large
		// upload in memory.
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUploadBody)
		if err := c.Request.ParseMultipartForm(maxFormBody); err != nil {
			return errs.E(errs.BadRequest, "上传的文件超过%d MB上限或无法读取，请返回重新选择。", maxUploadBody>>20)
		}
		return nil
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBody)
	if err := c.Request.ParseForm(); err != nil {
		return errs.E(errs.BadRequest, "表单内容有误或过大，请返回重新填写。")
	}
	return nil
}

func tokenEqual(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// setCookie writes one of our cookies: HttpOnly, SameSite=Lax, path /,
// Secure when the request is HTTPS (secureRequest).
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureRequest(c), SameSite: http.SameSiteLaxMode})
}

// done redirects (303) to path with a fixed flash message.
func done(c *gin.Context, path, flash string) {
	if flash != "" {
		path += "?done=" + flash
	}
	c.Redirect(http.StatusSeeOther, path)
}

// safeNext keeps a post-sign-in target only when it is a path on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/cases"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "/login" {
		return "/cases"
	}
	return next
}

// uiFuncs are the staff pages' template functions.
var uiFuncs = template.FuncMap{
	"money": render.Money,
	"capital": func(x float64) string {
		s, err := render.Capital(x)
		if err != nil {
			return ""
		}
		return s
	},
	"cndate":      pageDate,
	"auditAction": rules.AuditActionName,
	"auditEntity": rules.AuditEntityName,
	"auditStatus": func(entity, st string) string {
		if st == "" {
			return ""
		}
		if entity == "case" {
			return rules.CaseStatusName(st)
		}
		return rules.DocStatusName(st)
	},
	"cntime":     pageTime,
	"cnday":      func(t *time.Time) string { return pageDate(t.In(models.China).Format("2006-01-02")) },
	"can":        func(u *models.User, role string) bool { return u != nil && u.HasRole(role) },
	"roleNames":  roleList,
	"outcome":    rules.OutcomeName,
	"ground":     rules.GroundName,
	"kindName":   rules.KindName,
	"caseStatus": rules.CaseStatusName,
	"payState":   rules.PaymentStateName,
	"docStatus":  rules.DocStatusName,
	"harm":       rules.HarmName,
	"capacity":   rules.CapacityName,
	"mitigating": rules.MitigatingName,
	"domain":     rules.DomainName,
	"deref":      derefStr,
	"has":        func(list []string, v string) bool { return slices.Contains(list, v) },
	"hasID":      func(list []uint, v uint) bool { return slices.Contains(list, v) },
	"caseNo":     caseNo,
	"penalty":    render.PenaltyText,
	"period":     periodText,
}

// periodText is the execution period the page names, as rules writes it.
func periodText(name string) string {
	switch name {
	case "hearing_notice":
		return rules.HearingNoticePeriod
	case "reminder":
		return rules.ReminderPeriod
	case "court":
		return rules.CourtPeriod
	}
	return ""
}

// pageDate is the one date style of the web pages: 2026年12月2日 (the
// letters have their own, in render). Anything not a date shows as it is.
func pageDate(s string) string {
	if rules.ValidDate(s) {
		return rules.ChineseDate(s)
	}
	return s
}

// pageTime is a moment on the web pages, in China: 2026年12月2日 14:05.
func pageTime(t time.Time) string {
	t = t.In(models.China)
	return pageDate(t.Format("2006-01-02")) + " " + t.Format("15:04")
}

func roleList(u *models.User) string {
	if u == nil {
		return ""
	}
	var names []string
	for _, r := range u.RoleList() {
		names = append(names, rules.RoleName(r))
	}
	return strings.Join(names, "、")
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// caseNo is a case's file number, for a case or a pointer to one.
func caseNo(c any) string {
	switch v := c.(type) {
	case *models.Case:
		return casework.CaseNumber(v)
	case models.Case:
		return casework.CaseNumber(&v)
	}
	return ""
}
