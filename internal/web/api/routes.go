package api

import (
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// Routes registers every route of the JSON API with its policy
// (httpx.Public, or httpx.SignedIn: the service then checks reach).
//
// long: it stays one function on purpose: one list of every route, one line
// each, so that every URL and its policy can be read and reviewed at once.
func (s *Handler) Routes(rt *httpx.Router) {
	s.handle(rt, "GET /healthz", httpx.Public, s.healthz)

	// Sessions, accounts, the second factor (auth.go) and the audit log.
	s.handle(rt, "POST /api/v1/session", httpx.Public, s.apiSignIn)
	s.handle(rt, "DELETE /api/v1/session", httpx.SignedIn, s.apiSignOut)
	s.handle(rt, "GET /api/v1/accounts/me", httpx.SignedIn, s.apiMe)
	s.handle(rt, "GET /api/v1/accounts", httpx.SignedIn, s.apiAccounts)
	s.handle(rt, "POST /api/v1/accounts", httpx.SignedIn, s.apiCreateAccount)
	s.handle(rt, "GET /api/v1/accounts/{id}", httpx.SignedIn, s.apiAccount)
	s.handle(rt, "POST /api/v1/accounts/{id}/totp-reset", httpx.SignedIn, s.apiResetTOTP)
	s.handle(rt, "PUT /api/v1/accounts/{id}/roles", httpx.SignedIn, s.apiSetRoles)
	s.handle(rt, "POST /api/v1/accounts/{id}/password-reset", httpx.SignedIn, s.apiResetPassword)
	s.handle(rt, "POST /api/v1/accounts/me/password", httpx.SignedIn, s.apiChangePassword)
	s.handle(rt, "POST /api/v1/accounts/me/totp", httpx.SignedIn, s.apiStartTOTP)
	s.handle(rt, "POST /api/v1/accounts/me/totp/confirm", httpx.SignedIn, s.apiConfirmTOTP)
	s.handle(rt, "GET /api/v1/accounts/me/sessions", httpx.SignedIn, s.apiSessions)
	s.handle(rt, "DELETE /api/v1/accounts/me/sessions/{id}", httpx.SignedIn, s.apiEndSession)
	s.handle(rt, "GET /api/v1/audit", httpx.SignedIn, s.apiAudit)
	s.handle(rt, "POST /api/v1/audit/verify", httpx.SignedIn, s.apiVerifyAudit)

	// The organisation tree (units.go).
	s.handle(rt, "GET /api/v1/units", httpx.SignedIn, s.apiUnits)
	s.handle(rt, "POST /api/v1/units", httpx.SignedIn, s.apiCreateUnit)
	s.handle(rt, "POST /api/v1/units/merge", httpx.SignedIn, s.apiMergeUnits)
	s.handle(rt, "GET /api/v1/units/{id}", httpx.SignedIn, s.apiUnit)
	s.handle(rt, "PATCH /api/v1/units/{id}", httpx.SignedIn, s.apiUpdateUnit)
	s.handle(rt, "POST /api/v1/units/{id}/move", httpx.SignedIn, s.apiMoveUnit)
	s.handle(rt, "POST /api/v1/units/{id}/dissolve", httpx.SignedIn, s.apiDissolveUnit)
	s.handle(rt, "POST /api/v1/units/{id}/split", httpx.SignedIn, s.apiSplitUnit)
	s.handle(rt, "GET /api/v1/units/{id}/stats", httpx.SignedIn, s.apiUnitStats)

	// Member records, their lifecycle, import and export (members.go).
	s.handle(rt, "GET /api/v1/members", httpx.SignedIn, s.apiMembers)
	s.handle(rt, "POST /api/v1/members", httpx.SignedIn, s.apiCreateMember)
	s.handle(rt, "GET /api/v1/members/due-full", httpx.SignedIn, s.apiDueFull)
	s.handle(rt, "GET /api/v1/members/{id}", httpx.SignedIn, s.apiMember)
	s.handle(rt, "PATCH /api/v1/members/{id}", httpx.SignedIn, s.apiUpdateMember)
	s.handle(rt, "POST /api/v1/members/{id}/transfers", httpx.SignedIn, s.apiTransfer)
	s.handle(rt, "POST /api/v1/members/{id}/status", httpx.SignedIn, s.apiChangeStatus)
	s.handle(rt, "GET /api/v1/members/{id}/events", httpx.SignedIn, s.apiMemberEvents)
	s.handle(rt, "GET /api/v1/members/{id}/conferences", httpx.SignedIn, s.apiMemberConferences)
	s.handle(rt, "POST /api/v1/imports/members", httpx.SignedIn, s.apiImportMembers)
	s.handle(rt, "GET /api/v1/exports/members", httpx.SignedIn, s.apiExportMembers)

	// Documents, news, search, notes, bookmarks (docs.go).
	s.handle(rt, "GET /api/v1/document-types", httpx.SignedIn, s.apiDocTypes)
	s.handle(rt, "GET /api/v1/documents", httpx.SignedIn, s.apiDocuments)
	s.handle(rt, "POST /api/v1/documents", httpx.SignedIn, s.apiCreateDocument)
	s.handle(rt, "GET /api/v1/documents/{id}", httpx.SignedIn, s.apiDocument)
	s.handle(rt, "GET /api/v1/documents/{id}.docx", httpx.SignedIn, s.apiDocumentFile(output.DOCX))
	s.handle(rt, "GET /api/v1/documents/{id}.pdf", httpx.SignedIn, s.apiDocumentFile(output.PDF))
	s.handle(rt, "PATCH /api/v1/documents/{id}", httpx.SignedIn, s.apiReviseDocument)
	s.handle(rt, "GET /api/v1/documents/{id}/revisions", httpx.SignedIn, s.apiDocRevisions)
	s.handle(rt, "GET /api/v1/documents/{id}/revisions/{version}", httpx.SignedIn, s.apiDocRevision)
	s.handle(rt, "POST /api/v1/documents/{id}/attachments", httpx.SignedIn, s.apiAttach)
	s.handle(rt, "GET /api/v1/documents/{id}/attachments/{aid}", httpx.SignedIn, s.apiAttachment)
	s.handle(rt, "GET /api/v1/documents/{id}/receipts", httpx.SignedIn, s.apiReceipts)
	s.handle(rt, "GET /api/v1/documents/{id}/note", httpx.SignedIn, s.apiNote)
	s.handle(rt, "PUT /api/v1/documents/{id}/note", httpx.SignedIn, s.apiPutNote)
	s.handle(rt, "PUT /api/v1/documents/{id}/bookmark", httpx.SignedIn, s.apiBookmark(true))
	s.handle(rt, "DELETE /api/v1/documents/{id}/bookmark", httpx.SignedIn, s.apiBookmark(false))
	s.handle(rt, "GET /api/v1/bookmarks", httpx.SignedIn, s.apiBookmarks)
	s.handle(rt, "GET /api/v1/search", httpx.SignedIn, s.apiSearch)
	s.handle(rt, "GET /api/v1/news", httpx.SignedIn, s.apiNewsList)
	s.handle(rt, "POST /api/v1/news", httpx.SignedIn, s.apiCreateNews)
	s.handle(rt, "GET /api/v1/news/{id}", httpx.SignedIn, s.apiNews)
	s.handle(rt, "PATCH /api/v1/news/{id}", httpx.SignedIn, s.apiReviseDocument)
	s.handle(rt, "GET /api/v1/news/{id}/comments", httpx.SignedIn, s.apiComments)
	s.handle(rt, "POST /api/v1/news/{id}/comments", httpx.SignedIn, s.apiAddComment)
	s.handle(rt, "POST /api/v1/comments/{id}/hide", httpx.SignedIn, s.apiHideComment)
	s.handle(rt, "GET /api/v1/terms", httpx.SignedIn, s.apiTerms)
	s.handle(rt, "POST /api/v1/terms", httpx.SignedIn, s.apiCreateTerm)

	// Tasks, steps, rules, accountability and unit heads (tasks.go).
	s.handle(rt, "POST /api/v1/tasks", httpx.SignedIn, s.apiCreateTask)
	s.handle(rt, "GET /api/v1/tasks", httpx.SignedIn, s.apiTasks)
	s.handle(rt, "GET /api/v1/tasks/{id}", httpx.SignedIn, s.apiTask)
	s.handle(rt, "POST /api/v1/tasks/{id}/steps", httpx.SignedIn, s.apiTaskStep)
	s.handle(rt, "GET /api/v1/task-rules", httpx.SignedIn, s.apiTaskRules)
	s.handle(rt, "PUT /api/v1/task-rules", httpx.SignedIn, s.apiPutTaskRules)
	s.handle(rt, "GET /api/v1/accountability", httpx.SignedIn, s.apiAccountability)
	s.handle(rt, "GET /api/v1/accountability.docx", httpx.SignedIn, s.apiAccountabilityFile(output.DOCX))
	s.handle(rt, "GET /api/v1/accountability.pdf", httpx.SignedIn, s.apiAccountabilityFile(output.PDF))
	s.handle(rt, "GET /api/v1/units/{id}/head", httpx.SignedIn, s.apiUnitHead)
	s.handle(rt, "PUT /api/v1/units/{id}/head", httpx.SignedIn, s.apiSetUnitHead)

	// Report requests up the tree and the units' reports (reports.go).
	s.handle(rt, "POST /api/v1/report-requests", httpx.SignedIn, s.apiCreateReportRequest)
	s.handle(rt, "GET /api/v1/report-requests", httpx.SignedIn, s.apiReportRequests)
	s.handle(rt, "GET /api/v1/report-requests/{id}", httpx.SignedIn, s.apiReportRequest)
	s.handle(rt, "GET /api/v1/report-requests/{id}/draft", httpx.SignedIn, s.apiReportDraft)
	s.handle(rt, "POST /api/v1/report-requests/{id}/submissions", httpx.SignedIn, s.apiSendReport)
	s.handle(rt, "GET /api/v1/report-requests/{id}/submissions/{sid}", httpx.SignedIn, s.apiReportSubmission)
	s.handle(rt, "GET /api/v1/report-requests/{id}/submissions/{sid}.docx", httpx.SignedIn, s.apiReportSubmissionFile(output.DOCX))
	s.handle(rt, "GET /api/v1/report-requests/{id}/submissions/{sid}.pdf", httpx.SignedIn, s.apiReportSubmissionFile(output.PDF))
	// The four-good cell model: frameworks, registration, scoresheets,
	// results and the reports up (fourgood.go).
	s.handle(rt, "POST /api/v1/frameworks", httpx.SignedIn, s.apiCreateFramework)
	s.handle(rt, "GET /api/v1/frameworks", httpx.SignedIn, s.apiFrameworks)
	s.handle(rt, "GET /api/v1/frameworks/{id}", httpx.SignedIn, s.apiFramework)
	s.handle(rt, "PUT /api/v1/frameworks/{id}", httpx.SignedIn, s.apiUpdateFramework)
	s.handle(rt, "POST /api/v1/frameworks/{id}/copy", httpx.SignedIn, s.apiCopyFramework)
	s.handle(rt, "GET /api/v1/frameworks/{id}/criteria.xlsx", httpx.SignedIn, s.apiExportCriteria)
	s.handle(rt, "PUT /api/v1/frameworks/{id}/criteria.xlsx", httpx.SignedIn, s.apiImportCriteria)
	s.handle(rt, "POST /api/v1/frameworks/{id}/registrations", httpx.SignedIn, s.apiRegisterCell)
	s.handle(rt, "GET /api/v1/frameworks/{id}/results", httpx.SignedIn, s.apiFrameworkResults)
	s.handle(rt, "GET /api/v1/frameworks/{id}/report.docx", httpx.SignedIn, s.apiFourGoodReport(output.DOCX))
	s.handle(rt, "GET /api/v1/frameworks/{id}/report.pdf", httpx.SignedIn, s.apiFourGoodReport(output.PDF))
	s.handle(rt, "POST /api/v1/frameworks/{id}/reports", httpx.SignedIn, s.apiSendFourGoodReport)
	s.handle(rt, "GET /api/v1/scoresheets/{id}", httpx.SignedIn, s.apiScoresheet)
	s.handle(rt, "PUT /api/v1/scoresheets/{id}/scores", httpx.SignedIn, s.apiPutScores)
	s.handle(rt, "POST /api/v1/scoresheets/{id}/submit", httpx.SignedIn, s.apiSubmitScoresheet)
	s.handle(rt, "GET /api/v1/scoresheets/{id}/attachments", httpx.SignedIn, s.apiScoresheetAttachments)
	s.handle(rt, "POST /api/v1/scoresheets/{id}/attachments", httpx.SignedIn, s.apiAttachEvidence)
	s.handle(rt, "GET /api/v1/scoresheets/{id}/attachments/{aid}", httpx.SignedIn, s.apiEvidenceFile)
	s.handle(rt, "DELETE /api/v1/scoresheets/{id}/attachments/{aid}", httpx.SignedIn, s.apiRemoveEvidence)

	// Holidays, deadlines in working days and schedules (calendar.go).
	s.handle(rt, "GET /api/v1/calendar/holidays", httpx.SignedIn, s.apiHolidays)
	s.handle(rt, "GET /api/v1/calendar/due", httpx.SignedIn, s.apiDue)
	s.handle(rt, "GET /api/v1/calendar/schedules/{year}", httpx.SignedIn, s.apiSchedule)
	s.handle(rt, "PUT /api/v1/calendar/schedules/{year}", httpx.SignedIn, s.apiPutSchedule)
	s.handle(rt, "DELETE /api/v1/calendar/schedules/{year}", httpx.SignedIn, s.apiDeleteSchedule)

	// The inbox and its settings (notifications.go).
	s.handle(rt, "GET /api/v1/notifications", httpx.SignedIn, s.apiNotifications)
	s.handle(rt, "POST /api/v1/notifications/{id}/read", httpx.SignedIn, s.apiReadNotification)
	s.handle(rt, "POST /api/v1/notifications/read-all", httpx.SignedIn, s.apiReadAllNotifications)
	// {"ids": [...]} marks several read (an empty list: all); kept for the
	// clients of the first inbox (internal/task).
	s.handle(rt, "POST /api/v1/notifications/read", httpx.SignedIn, s.apiReadNotifications)
	s.handle(rt, "GET /api/v1/accounts/me/notification-settings", httpx.SignedIn, s.apiNotificationSettings)
	s.handle(rt, "PUT /api/v1/accounts/me/notification-settings", httpx.SignedIn, s.apiPutNotificationSettings)

	// Outbreak response under "4 tại chỗ" (outbreaks.go).
	s.handle(rt, "POST /api/v1/outbreaks", httpx.SignedIn, s.apiOpenOutbreak)
	s.handle(rt, "GET /api/v1/outbreaks", httpx.SignedIn, s.apiOutbreaks)
	s.handle(rt, "GET /api/v1/outbreaks/board", httpx.SignedIn, s.apiOutbreakBoard)
	s.handle(rt, "GET /api/v1/outbreaks/board.xlsx", httpx.SignedIn, s.apiOutbreakBoardXLSX)
	s.handle(rt, "GET /api/v1/outbreaks/{id}", httpx.SignedIn, s.apiOutbreak)
	s.handle(rt, "POST /api/v1/outbreaks/{id}/reports", httpx.SignedIn, s.apiOutbreakReport)
	s.handle(rt, "PUT /api/v1/outbreaks/{id}/on-site", httpx.SignedIn, s.apiOutbreakOnSite)
	s.handle(rt, "POST /api/v1/outbreaks/{id}/duties", httpx.SignedIn, s.apiOutbreakDuties)
	s.handle(rt, "POST /api/v1/outbreaks/{id}/funding", httpx.SignedIn, s.apiOutbreakFunding)
	s.handle(rt, "POST /api/v1/outbreaks/{id}/close", httpx.SignedIn, s.apiCloseOutbreak)
	s.handle(rt, "GET /api/v1/diseases", httpx.SignedIn, s.apiDiseases)
	s.handle(rt, "PUT /api/v1/diseases/{code}", httpx.SignedIn, s.apiPutDisease)
	s.handle(rt, "GET /api/v1/duties/mine", httpx.SignedIn, s.apiMyDuties)
	s.handle(rt, "POST /api/v1/duties/{id}/confirm", httpx.SignedIn, s.apiConfirmDuty)
	// Conferences across bridge points (conferences.go).
	s.handle(rt, "POST /api/v1/conferences", httpx.SignedIn, s.apiCreateConference)
	s.handle(rt, "GET /api/v1/conferences", httpx.SignedIn, s.apiConferences)
	s.handle(rt, "GET /api/v1/conferences/{id}", httpx.SignedIn, s.apiConference)
	s.handle(rt, "PATCH /api/v1/conferences/{id}", httpx.SignedIn, s.apiRescheduleConference)
	s.handle(rt, "POST /api/v1/conferences/{id}/cancel", httpx.SignedIn, s.apiCancelConference)
	s.handle(rt, "GET /api/v1/conferences/{id}/bridge-points", httpx.SignedIn, s.apiBridgePoints)
	s.handle(rt, "POST /api/v1/conferences/{id}/bridge-points", httpx.SignedIn, s.apiAddBridgePoints)
	s.handle(rt, "GET /api/v1/conferences/{id}/bridge-points/{bp}/roll", httpx.SignedIn, s.apiRoll)
	s.handle(rt, "POST /api/v1/conferences/{id}/bridge-points/{bp}/heartbeat", httpx.SignedIn, s.apiHeartbeat)
	s.handle(rt, "GET /api/v1/conferences/{id}/attendees", httpx.SignedIn, s.apiRoll)
	s.handle(rt, "PUT /api/v1/conferences/{id}/attendees/{member}", httpx.SignedIn, s.apiSetExpected)
	s.handle(rt, "GET /api/v1/conferences/{id}/my-pass", httpx.SignedIn, s.apiMyPass)
	s.handle(rt, "POST /api/v1/conferences/{id}/checkins", httpx.SignedIn, s.apiCheckin)
	s.handle(rt, "GET /api/v1/conferences/{id}/attendance", httpx.SignedIn, s.apiAttendance)
	s.handle(rt, "GET /api/v1/conferences/{id}/events", httpx.SignedIn, s.apiConferenceEvents)
	// Cell meetings: guidance, meetings, roll, minutes, compliance (meetings.go).
	s.handle(rt, "POST /api/v1/units/{id}/meeting-guidance", httpx.SignedIn, s.apiPublishGuidance)
	s.handle(rt, "GET /api/v1/meeting-guidance", httpx.SignedIn, s.apiGuidance)
	s.handle(rt, "POST /api/v1/units/{id}/meetings", httpx.SignedIn, s.apiScheduleMeeting)
	s.handle(rt, "GET /api/v1/units/{id}/meetings", httpx.SignedIn, s.apiUnitMeetings)
	s.handle(rt, "GET /api/v1/units/{id}/meetings.ics", httpx.SignedIn, s.apiUnitMeetingsICS)
	s.handle(rt, "GET /api/v1/units/{id}/meeting-compliance", httpx.SignedIn, s.apiMeetingCompliance)
	s.handle(rt, "GET /api/v1/units/{id}/meeting-compliance.docx", httpx.SignedIn, s.apiComplianceFile(output.DOCX))
	s.handle(rt, "GET /api/v1/units/{id}/meeting-compliance.pdf", httpx.SignedIn, s.apiComplianceFile(output.PDF))
	// Calendar links a phone subscribes to without a session (meeting_feeds.go):
	// the token in the path is the credential, checked against the owner's reach.
	s.handle(rt, "POST /api/v1/meeting-feeds", httpx.SignedIn, s.apiCreateFeed)
	s.handle(rt, "GET /api/v1/meeting-feeds", httpx.SignedIn, s.apiFeeds)
	s.handle(rt, "DELETE /api/v1/meeting-feeds/{id}", httpx.SignedIn, s.apiRevokeFeed)
	s.handle(rt, "GET /api/v1/meeting-feeds/{token}", httpx.Public, s.apiFeedICS)
	// {id} is also "{id}.ics": the meeting's iCalendar.
	s.handle(rt, "GET /api/v1/meetings/{id}", httpx.SignedIn, s.apiMeeting)
	s.handle(rt, "PATCH /api/v1/meetings/{id}", httpx.SignedIn, s.apiUpdateMeeting)
	s.handle(rt, "GET /api/v1/meetings/{id}/roll", httpx.SignedIn, s.apiMeetingRoll)
	s.handle(rt, "PUT /api/v1/meetings/{id}/attendance", httpx.SignedIn, s.apiPutAttendance)
	s.handle(rt, "POST /api/v1/meetings/{id}/close", httpx.SignedIn, s.apiCloseMeeting)
	s.handle(rt, "POST /api/v1/meetings/{id}/amendments", httpx.SignedIn, s.apiAmendMeeting)
	// Printed minutes and resolution of a closed meeting (output.go).
	s.handle(rt, "GET /api/v1/meetings/{id}/minutes.docx", httpx.SignedIn, s.apiMeetingPaper(false, output.DOCX))
	s.handle(rt, "GET /api/v1/meetings/{id}/minutes.pdf", httpx.SignedIn, s.apiMeetingPaper(false, output.PDF))
	s.handle(rt, "GET /api/v1/meetings/{id}/resolution.docx", httpx.SignedIn, s.apiMeetingPaper(true, output.DOCX))
	s.handle(rt, "GET /api/v1/meetings/{id}/resolution.pdf", httpx.SignedIn, s.apiMeetingPaper(true, output.PDF))

	// Anything else under /api/ is a problem+json 404.
	s.handle(rt, "/api/", httpx.Public, func(w http.ResponseWriter, r *http.Request) error {
		return apperr.Keyed(apperr.NotFound, "http.no_such_endpoint", "no such endpoint: %s %s", r.Method, r.URL.Path)
	})
}
