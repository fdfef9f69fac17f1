package main

import (
	"github.com/gin-gonic/gin"

	"penaltydoc/casework"
	"penaltydoc/models"
)

const (
	officer  = models.RoleOfficer
	reviewer = models.RoleReviewer
	approver = models.RoleApprover
	clerk    = models.RoleClerk
	admin    = models.RoleAdmin
	editor   = models.RoleTemplateEditor
)

// longRoutes take Deps.LongRequestTimeout instead of the request deadline:
// batch print merges up to casework.MaxPrintBatch PDFs (and their
// receipts), the case register writes up to casework.MaxExportRows rows,
// imports read up to 20 MB.
var longRoutes = map[string]bool{
	"/print/pdf":                true,
	"/cases/export.xlsx":        true,
	"/api/v1/cases/export.xlsx": true,
	"/admin/catalog/import":     true,
	"/api/v1/documents/print":   true,
	"/api/v1/catalog/import":    true,
	// Supervision and statistics read every case in progress, or every
	// decision of the period.
	"/supervision/export.xlsx":        true,
	"/api/v1/supervision/export.xlsx": true,
	"/statistics/export.xlsx":         true,
	"/api/v1/statistics/export.xlsx":  true,
}

// routes is the map of the service: every route and who may call it.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealth)
	r.GET("/favicon.ico", s.handleFavicon)
	r.GET("/metrics", s.metrics.handler())
	r.StaticFS("/static", staticFS())
	r.GET("/public/download", s.handleDownloadPage)
	r.POST("/public/download", s.handleDownload)
	r.GET("/verify/:token", s.handleVerify)
	r.POST("/verify/:token/check", s.handleVerifyCheck)
	r.GET("/public/decisions", s.handlePublicDecisions)
	r.GET("/public/decisions/:id", s.handlePublicDecision)
	r.GET("/public/decisions/:id/pdf", s.handlePublicDecisionPDF)
	// The party's portal (server/portal.go): its own session and CSRF token.
	r.GET("/public", s.handlePortalHome)
	r.POST("/public/portal/open", s.handlePortalOpen)
	r.GET("/public/portal", s.handlePortal)
	r.GET("/public/portal/notice.pdf", s.handlePortalNotice)
	r.POST("/public/portal/submit/:kind", s.handlePortalSubmit)
	r.POST("/public/portal/close", s.handlePortalClose)

	// The staff web UI (server/ui*.go): the session cookie, CSRF on every
	// POST, the same roles as the API.
	r.GET("/", s.handleHome)
	r.GET("/login", s.handleLoginPage)
	r.POST("/login", s.handleLoginForm)
	r.POST("/logout", s.web(), s.handleLogoutForm)
	r.GET("/cases", s.web(), s.handleCasesPage)
	r.GET("/cases/export.xlsx", s.web(), s.handleExportCasesPage)
	r.GET("/cases/new", s.web(officer), s.handleNewCasePage)
	r.POST("/cases/new", s.web(officer), s.handleNewCaseForm)
	r.GET("/cases/:id", s.web(), s.handleCasePage)
	r.GET("/cases/:id/edit", s.web(officer), s.handleEditCasePage)
	r.POST("/cases/:id/edit", s.web(officer), s.handleEditCaseForm)
	r.POST("/cases/:id/documents", s.web(officer), s.handleCreateDocumentForm)
	r.POST("/cases/:id/statement", s.web(officer), s.handleStatementForm)
	r.POST("/cases/:id/discussion", s.web(officer, approver), s.handleDiscussionForm)
	r.POST("/cases/:id/payments", s.web(officer, clerk), s.handlePaymentForm)
	r.POST("/cases/:id/deferral", s.web(officer), s.handleDeferralForm)
	r.POST("/cases/:id/execution", s.web(officer), s.handleExecutionForm)
	r.POST("/cases/:id/hearing", s.web(officer), s.handleHearingForm)
	r.POST("/cases/:id/override", s.web(officer), s.handleOverrideForm)
	r.POST("/submissions/:sub/review", s.web(officer), s.handleReviewSubmissionForm)
	r.POST("/cases/:id/consent", s.web(officer), s.handleConsentForm)
	r.GET("/portal-files/:file", s.web(), s.handleEvidenceFile)
	r.GET("/documents/:id/pdf", s.web(), s.handleDocumentPDFPage)
	r.POST("/documents/:id/submit", s.web(officer), s.handleSubmitForm)
	r.POST("/documents/:id/approve", s.web(reviewer, approver), s.handleApproveForm)
	r.POST("/documents/:id/return", s.web(reviewer, approver), s.handleReturnForm)
	r.POST("/documents/:id/issue", s.web(clerk), s.handleIssueForm)
	r.POST("/documents/:id/serve", s.web(clerk), s.handleServeForm)
	r.POST("/documents/:id/serve-email", s.web(clerk), s.handleServeEmailForm)
	r.POST("/documents/:id/correct", s.web(officer), s.handleCorrectForm)
	r.GET("/documents/:id/revision", s.web(officer), s.handleRevisionPage)
	r.POST("/documents/:id/revision", s.web(officer), s.handleRevisionForm)
	r.POST("/documents/:id/withdraw", s.web(officer), s.handleWithdrawDocumentForm)
	r.POST("/cases/:id/withdraw", s.web(officer, approver), s.handleWithdrawCaseForm) // the rule answers an officer why: the head withdraws
	r.GET("/queue", s.web(), s.handleQueuePage)
	// Publication (行政执法公示): the officer marks, the reviewer checks, the
	// head approves and withdraws or ends, a clerk (or the head) publishes.
	r.GET("/publications", s.web(officer, reviewer, approver, clerk), s.handlePublicationsPage)
	r.GET("/publications/export.csv", s.web(officer, reviewer, approver, clerk), s.handleExportPublicationsPage)
	r.GET("/publications/export.xlsx", s.web(officer, reviewer, approver, clerk), s.handleExportPublicationsPage)
	r.GET("/publications/:id", s.web(officer, reviewer, approver, clerk), s.handlePublicationPage)
	r.GET("/publications/:id/pdf", s.web(officer, reviewer, approver, clerk), s.handlePublicationPDFPage)
	r.POST("/publications/:id", s.web(officer), s.handlePublicationSettingsForm)
	r.POST("/publications/:id/review", s.web(reviewer), s.pubFormAction("review", "pub_reviewed", (*casework.Service).ReviewPublication))
	r.POST("/publications/:id/approve", s.web(approver), s.pubFormAction("approve", "pub_approved", (*casework.Service).ApprovePublication))
	r.POST("/publications/:id/publish", s.web(clerk, approver), s.pubFormAction("publish", "pub_published", (*casework.Service).PublishPublication))
	r.POST("/publications/:id/withdraw", s.web(approver), s.pubFormReasoned("withdraw", "pub_withdrawn", (*casework.Service).WithdrawPublication))
	r.POST("/publications/:id/end", s.web(approver), s.pubFormReasoned("end", "pub_ended", (*casework.Service).EndPublication))
	r.GET("/print", s.web(clerk), s.handlePrintPage)
	r.GET("/print/pdf", s.web(clerk), s.handlePrintPDF)
	r.GET("/admin/templates", s.web(admin, editor), s.handleAdminTemplatesPage)
	r.GET("/admin/templates/:kind", s.web(admin, editor), s.handleAdminTemplatePage)
	r.POST("/admin/templates/:kind", s.web(admin, editor), s.handleAdminSaveTemplate)
	r.POST("/admin/templates/:kind/preview", s.web(admin, editor), s.handleAdminPreviewTemplate)
	r.POST("/admin/templates/:kind/versions/:version/activate", s.web(admin, editor), s.handleAdminActivateTemplate)
	r.GET("/admin/catalog", s.web(admin), s.handleAdminCatalogPage)
	r.POST("/admin/catalog/import", s.web(admin), s.handleAdminImportCatalog)
	r.GET("/admin/catalog/:id", s.web(admin), s.handleAdminItemPage)
	r.POST("/admin/catalog/:id", s.web(admin), s.handleAdminSaveItem)
	r.POST("/admin/catalog/:id/retire", s.web(admin), s.adminItemActive(false))
	r.POST("/admin/catalog/:id/reactivate", s.web(admin), s.adminItemActive(true))
	r.GET("/admin/calendar", s.web(admin), s.handleAdminCalendarPage)
	r.POST("/admin/calendar", s.web(admin), s.handleAdminSaveCalendar)
	r.GET("/admin/authorities", s.web(admin), s.handleAdminAuthoritiesPage)
	r.GET("/admin/authorities/new", s.web(admin), s.handleAdminNewAuthorityPage)
	r.POST("/admin/authorities", s.web(admin), s.handleAdminCreateAuthority)
	r.GET("/admin/authorities/:id", s.web(admin), s.handleAdminAuthorityPage)
	r.POST("/admin/authorities/:id", s.web(admin), s.handleAdminUpdateAuthority)
	r.GET("/admin/authorities/:id/seal.png", s.web(admin), s.handleAdminAuthoritySeal)
	r.GET("/admin/authorities/:id/preview.pdf", s.web(admin), s.handleAdminAuthorityPreview)
	r.POST("/admin/authorities/:id/signing", s.web(admin), s.handleAdminUploadSigningKey)
	r.GET("/admin/authorities/:id/certificate.pem", s.web(admin), s.handleAdminCertificate)
	r.GET("/admin/audit", s.web(admin), s.handleAdminAuditPage)
	r.POST("/admin/audit/check", s.web(admin), s.handleAdminAuditCheck)
	r.GET("/admin/users", s.web(admin), s.handleAdminUsersPage)
	r.POST("/admin/users", s.web(admin), s.handleAdminCreateUser)
	r.GET("/admin/users/:id", s.web(admin), s.handleAdminUserPage)
	r.POST("/admin/users/:id", s.web(admin), s.handleAdminUpdateUser)
	r.POST("/admin/users/:id/password", s.web(admin), s.handleAdminResetPassword)
	r.POST("/admin/users/:id/active", s.web(admin), s.handleAdminSetActive)
	r.GET("/supervision", s.web(), s.handleSupervisionPage)
	r.GET("/supervision/export.xlsx", s.web(), s.handleExportSupervisionPage)
	r.GET("/cases/:id/extension", s.web(approver), s.handleExtensionPage)
	r.POST("/cases/:id/extension", s.web(approver), s.handleExtensionForm)
	r.GET("/statistics", s.web(), s.handleStatisticsPage)
	r.GET("/statistics/export.xlsx", s.web(), s.handleExportStatisticsPage)
	r.GET("/account/password", s.web(), s.handleAccountPasswordPage)
	r.POST("/account/password", s.web(), s.handleAccountPasswordForm)

	api := r.Group("/api/v1")
	api.POST("/login", s.handleLogin)

	signedIn := s.authenticate()
	api.POST("/logout", signedIn, s.handleLogout)
	api.GET("/me", signedIn, s.handleMe)
	api.POST("/me/password", signedIn, s.handleChangePassword)

	api.GET("/users", s.authenticate(admin), s.handleListUsers)
	api.POST("/users", s.authenticate(admin), s.handleCreateUser)
	api.PUT("/users/:id", s.authenticate(admin), s.handleUpdateUser)
	api.POST("/users/:id/password", s.authenticate(admin), s.handleResetPassword)

	api.GET("/authorities", s.authenticate(admin), s.handleListAuthorities)
	api.POST("/authorities", s.authenticate(admin), s.handleCreateAuthority)
	api.PUT("/authorities/:id", s.authenticate(admin), s.handleUpdateAuthority)
	api.GET("/authorities/:id/signing", s.authenticate(admin), s.handleGetSigningKey)
	api.POST("/authorities/:id/signing", s.authenticate(admin), s.handleUploadSigningKey)

	api.GET("/calendar", signedIn, s.handleGetCalendar)
	api.PUT("/calendar/:year", s.authenticate(admin), s.handlePutCalendar)

	api.GET("/catalog", signedIn, s.handleListCatalog)
	api.POST("/catalog", s.authenticate(admin), s.handleCreateItem)
	api.POST("/catalog/import", s.authenticate(admin), s.handleImportCatalog)
	api.PUT("/catalog/:id", s.authenticate(admin), s.handleUpdateItem)
	api.POST("/catalog/:id/retire", s.authenticate(admin), s.itemActive(false))
	api.POST("/catalog/:id/reactivate", s.authenticate(admin), s.itemActive(true))

	api.POST("/evaluate", signedIn, s.handleEvaluate)
	api.GET("/officers", signedIn, s.handleListOfficers)
	api.GET("/cases", signedIn, s.handleListCases)
	api.GET("/cases/export.xlsx", signedIn, s.handleExportCases)
	api.POST("/cases", s.authenticate(officer), s.handleCreateCase)
	api.GET("/cases/:id", signedIn, s.handleGetCase)
	api.PUT("/cases/:id", s.authenticate(officer), s.handleUpdateCase)
	api.POST("/cases/:id/override", s.authenticate(officer), s.handleOverride)
	api.POST("/cases/:id/documents", s.authenticate(officer), s.handleCreateDocument)

	api.GET("/documents/print", s.authenticate(clerk), s.handlePrint)
	api.GET("/documents/:id", signedIn, s.handleGetDocument)
	api.GET("/documents/:id/pdf", signedIn, s.handleDocumentPDF)
	api.POST("/documents/:id/submit", s.authenticate(officer), s.handleSubmitDocument)
	api.POST("/documents/:id/approve", s.authenticate(reviewer, approver), s.handleApproveDocument)
	api.POST("/documents/:id/return", s.authenticate(reviewer, approver), s.handleReturnDocument)
	api.POST("/documents/:id/issue", s.authenticate(clerk), s.handleIssueDocument)
	api.POST("/documents/:id/serve", s.authenticate(clerk), s.handleServeDocument)
	api.POST("/documents/:id/serve-email", s.authenticate(clerk), s.handleServeEmail)
	api.POST("/documents/:id/correct", s.authenticate(officer), s.handleCorrectDocument)
	api.PUT("/documents/:id/revision", s.authenticate(officer), s.handleReviseCorrection)
	api.POST("/documents/:id/withdraw", s.authenticate(officer), s.handleWithdrawDocument)
	api.POST("/cases/:id/withdraw", s.authenticate(officer, approver), s.handleWithdrawCase) // the rule answers an officer why: the head withdraws
	api.POST("/cases/:id/statement", s.authenticate(officer), s.handleStatement)
	api.POST("/cases/:id/discussion", s.authenticate(officer, approver), s.handleDiscussion)
	api.POST("/cases/:id/payments", s.authenticate(officer, clerk), s.handlePayment)
	api.POST("/cases/:id/deferral", s.authenticate(officer), s.handleDeferral)
	api.POST("/cases/:id/execution", s.authenticate(officer), s.handleExecution)
	api.POST("/cases/:id/hearing", s.authenticate(officer), s.handleHearing)
	api.GET("/cases/:id/submissions", signedIn, s.handleListSubmissions)
	api.POST("/submissions/:sub/review", s.authenticate(officer), s.handleReviewSubmission)
	api.POST("/cases/:id/consent", s.authenticate(officer), s.handleRecordConsent)

	api.GET("/publications", signedIn, s.handleListPublications)
	api.GET("/publications/overdue", signedIn, s.handleOverduePublications)
	api.GET("/publications/export.csv", signedIn, s.handleExportPublications)
	api.GET("/publications/export.xlsx", signedIn, s.handleExportPublications)
	api.GET("/publications/:id", signedIn, s.handleGetPublication)
	api.GET("/publications/:id/pdf", signedIn, s.handlePublicationPDF)
	api.PUT("/publications/:id", s.authenticate(officer), s.handleUpdatePublication)
	api.POST("/publications/:id/review", s.authenticate(reviewer), s.pubAction((*casework.Service).ReviewPublication))
	api.POST("/publications/:id/approve", s.authenticate(approver), s.pubAction((*casework.Service).ApprovePublication))
	api.POST("/publications/:id/publish", s.authenticate(clerk, approver), s.pubAction((*casework.Service).PublishPublication))
	api.POST("/publications/:id/withdraw", s.authenticate(approver), s.pubReasoned((*casework.Service).WithdrawPublication))
	api.POST("/publications/:id/end", s.authenticate(approver), s.pubReasoned((*casework.Service).EndPublication))
	api.GET("/supervision", signedIn, s.handleSupervision)
	api.GET("/supervision/digest", signedIn, s.handleDigest)
	api.GET("/supervision/export.xlsx", signedIn, s.handleExportSupervision)
	api.POST("/cases/:id/extension", s.authenticate(approver), s.handleExtension)
	api.GET("/statistics", signedIn, s.handleStatistics)
	api.GET("/statistics/export.xlsx", signedIn, s.handleExportStatistics)

	api.GET("/templates", signedIn, s.handleListTemplates)
	api.GET("/templates/:kind", signedIn, s.handleGetTemplate)
	api.GET("/templates/:kind/versions", signedIn, s.handleTemplateVersions)
	api.GET("/templates/:kind/versions/:version", signedIn, s.handleGetTemplateVersion)
	api.POST("/templates/:kind/versions", s.authenticate(admin, editor), s.handleCreateTemplateVersion)
	api.POST("/templates/:kind/versions/:version/activate", s.authenticate(admin, editor), s.handleActivateTemplate)
	// Previews execute a body: template editors and admins only.
	api.POST("/templates/preview", s.authenticate(admin, editor), s.handlePreview)
}
