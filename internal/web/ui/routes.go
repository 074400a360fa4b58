package ui

import "github.com/sotay-vn/sotay/internal/web/httpx"

// Routes registers every page with its policy (httpx.Public, or
// httpx.SignedIn: the handler's service then checks reach). URLs are
// Vietnamese without diacritics, as people read them aloud and type them.
//
// long: it stays one function on purpose: one list of every page, one line
// each, so that every URL and its policy can be read and reviewed at once.
func (s *Handler) Routes(rt *httpx.Router) {
	// The account page and its forms (account.go).
	s.handle(rt, "GET "+PageAccount, httpx.SignedIn, s.uiAccount)
	s.handle(rt, "POST "+PageTOTPStart, httpx.SignedIn, s.uiTOTPStart)
	s.handle(rt, "POST "+PageTOTPConfirm, httpx.SignedIn, s.uiTOTPConfirm)
	s.handle(rt, "GET "+PageTOTPQR, httpx.SignedIn, s.uiTOTPQR)
	s.handle(rt, "POST "+pagePassword, httpx.SignedIn, s.uiChangePassword)
	s.handle(rt, "POST /tai-khoan/phien/{id}/dang-xuat", httpx.SignedIn, s.uiEndSession)

	// Static files, sign-in, language, home (static.go, signin.go, home.go).
	rt.Handle("GET /static/", httpx.Public, serveStatic)
	s.handle(rt, "GET /ngon-ngu", httpx.Public, s.uiLanguage)
	s.handle(rt, "GET /dang-nhap", httpx.Public, s.uiSignInForm)
	s.handle(rt, "POST /dang-nhap", httpx.Public, s.uiSignIn)
	s.handle(rt, "POST /dang-xuat", httpx.SignedIn, s.uiSignOut)
	s.handle(rt, "GET /{$}", httpx.Public, s.uiHome)

	// The tree and member records (units.go, unit.go, members.go, member*.go, import.go).
	// Conferences across bridge points (conferences.go).
	s.handle(rt, "GET "+PageConferences, httpx.SignedIn, s.uiConferences)
	s.handle(rt, "GET /hoi-nghi/moi", httpx.SignedIn, s.uiConferenceNew)
	s.handle(rt, "POST /hoi-nghi/moi", httpx.SignedIn, s.uiConferenceCreate)
	s.handle(rt, "GET /hoi-nghi/{id}", httpx.SignedIn, s.uiConference)
	s.handle(rt, "POST /hoi-nghi/{id}/diem-cau", httpx.SignedIn, s.uiConferenceAddPoints)
	s.handle(rt, "POST /hoi-nghi/{id}/lich/{action}", httpx.SignedIn, s.uiConferenceChange)
	s.handle(rt, "GET /hoi-nghi/{id}/diem-cau/{bp}", httpx.SignedIn, s.uiCheckin)
	s.handle(rt, "POST /hoi-nghi/{id}/diem-cau/{bp}", httpx.SignedIn, s.uiCheckinPost)
	s.handle(rt, "GET /hoi-nghi/{id}/bang", httpx.SignedIn, s.uiBoard)

	s.handle(rt, "GET /don-vi", httpx.SignedIn, s.uiUnits)
	s.handle(rt, "GET /don-vi/{id}", httpx.SignedIn, s.uiUnit)
	// Restructuring the tree (tree.go).
	s.handle(rt, "GET /don-vi/{id}/don-vi-moi", httpx.SignedIn, s.uiUnitNew)
	s.handle(rt, "POST /don-vi/{id}/don-vi-moi", httpx.SignedIn, s.uiUnitCreate)
	s.handle(rt, "GET /don-vi/{id}/sua", httpx.SignedIn, s.uiUnitEdit)
	s.handle(rt, "POST /don-vi/{id}/sua", httpx.SignedIn, s.uiUnitUpdate)
	for _, action := range []string{"chuyen", "sap-nhap", "giai-the"} {
		s.handle(rt, "GET /don-vi/{id}/"+action, httpx.SignedIn, s.uiUnitChangeForm(action))
		s.handle(rt, "POST /don-vi/{id}/"+action, httpx.SignedIn, s.uiUnitChange(action))
	}
	s.handle(rt, "GET /don-vi/{id}/chia-tach", httpx.SignedIn, s.uiUnitSplitForm)
	s.handle(rt, "POST /don-vi/{id}/chia-tach", httpx.SignedIn, s.uiUnitSplit)
	s.handle(rt, "GET /don-vi/{id}/dang-vien", httpx.SignedIn, s.uiMembers)
	s.handle(rt, "GET /don-vi/{id}/dang-vien/xuat", httpx.SignedIn, s.uiExportMembers)
	s.handle(rt, "GET /don-vi/{id}/dang-vien/moi", httpx.SignedIn, s.uiMemberNew)
	s.handle(rt, "POST /don-vi/{id}/dang-vien/moi", httpx.SignedIn, s.uiMemberCreate)
	s.handle(rt, "GET /don-vi/{id}/nhap-dang-vien", httpx.SignedIn, s.uiImportForm)
	s.handle(rt, "POST /don-vi/{id}/nhap-dang-vien", httpx.SignedIn, s.uiImport)
	s.handle(rt, "GET /dang-vien/{id}", httpx.SignedIn, s.uiMember)
	s.handle(rt, "GET /dang-vien/{id}/sua", httpx.SignedIn, s.uiMemberEdit)
	s.handle(rt, "POST /dang-vien/{id}/sua", httpx.SignedIn, s.uiMemberUpdate)

	// Report requests (reports.go).
	s.handle(rt, "GET /bao-cao", httpx.SignedIn, s.uiReports)
	s.handle(rt, "GET /bao-cao/moi", httpx.SignedIn, s.uiReportNew)
	s.handle(rt, "POST /bao-cao/moi", httpx.SignedIn, s.uiReportCreate)
	s.handle(rt, "GET /bao-cao/{id}", httpx.SignedIn, s.uiReport)
	s.handle(rt, "GET /bao-cao/{id}/gui", httpx.SignedIn, s.uiReportDraft)
	s.handle(rt, "POST /bao-cao/{id}/gui", httpx.SignedIn, s.uiReportSend)
	s.handle(rt, "GET /bao-cao/{id}/bai/{sid}", httpx.SignedIn, s.uiReportSubmission)

	// Work handling (tasks.go).
	s.handle(rt, "GET /cong-viec", httpx.SignedIn, s.uiMyTasks)
	// Its other tabs and the assignment page (task_mine.go, task_new.go).
	s.handle(rt, "GET "+PageTasksAccountable, httpx.SignedIn, s.uiTasksAccountable)
	s.handle(rt, "GET "+PageTasksIssued, httpx.SignedIn, s.uiTasksIssued)
	s.handle(rt, "GET "+PageTaskNew, httpx.SignedIn, s.uiTaskNew)
	s.handle(rt, "POST "+PageTaskNew, httpx.SignedIn, s.uiTaskCreate)
	s.handle(rt, "GET /cong-viec/{id}", httpx.SignedIn, s.uiTask)
	s.handle(rt, "POST /cong-viec/{id}", httpx.SignedIn, s.uiTaskStep)
	s.handle(rt, "GET /don-vi/{id}/cong-viec", httpx.SignedIn, s.uiTaskBoard)
	s.handle(rt, "GET /don-vi/{id}/trach-nhiem", httpx.SignedIn, s.uiAccountability)

	// The four-good cell model (fourgood.go).
	s.handle(rt, "GET /chi-bo-4-tot", httpx.SignedIn, s.uiFrameworks)
	s.handle(rt, "GET /chi-bo-4-tot/khung/{id}", httpx.SignedIn, s.uiFramework)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/tieu-chi", httpx.SignedIn, s.uiAddCriterion)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/tieu-chi/{code}", httpx.SignedIn, s.uiFrameworkCriterion)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/tieu-chi/{code}/xoa", httpx.SignedIn, s.uiRemoveCriterion)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/nhap", httpx.SignedIn, s.uiFrameworkImport)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/sao-chep", httpx.SignedIn, s.uiFrameworkCopy)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/dang-ky", httpx.SignedIn, s.uiFrameworkRegister)
	s.handle(rt, "GET /chi-bo-4-tot/khung/{id}/ket-qua", httpx.SignedIn, s.uiFrameworkResults)
	s.handle(rt, "POST /chi-bo-4-tot/khung/{id}/bao-cao", httpx.SignedIn, s.uiFrameworkReport)
	s.handle(rt, "GET /chi-bo-4-tot/bieu/{id}", httpx.SignedIn, s.uiScoresheet)
	s.handle(rt, "POST /chi-bo-4-tot/bieu/{id}/diem", httpx.SignedIn, s.uiScore)
	s.handle(rt, "POST /chi-bo-4-tot/bieu/{id}/gui", httpx.SignedIn, s.uiSubmitSheet)
	s.handle(rt, "POST /chi-bo-4-tot/bieu/{id}/tep", httpx.SignedIn, s.uiAttachEvidence)
	s.handle(rt, "POST /chi-bo-4-tot/bieu/{id}/tep/{aid}/xoa", httpx.SignedIn, s.uiRemoveEvidence)
	s.handle(rt, "POST /chi-bo-4-tot/bieu/{id}/lien-ket", httpx.SignedIn, s.uiLinkEvidence)
	// Cell meetings: a unit's meetings and guidance, a meeting, meeting
	// mode, compliance (meetings.go).
	s.handle(rt, "GET /don-vi/{id}/sinh-hoat", httpx.SignedIn, s.uiMeetings)
	s.handle(rt, "POST /don-vi/{id}/sinh-hoat", httpx.SignedIn, s.uiScheduleMeeting)
	s.handle(rt, "GET /don-vi/{id}/sinh-hoat/huong-dan", httpx.SignedIn, s.uiGuidanceForm)
	s.handle(rt, "POST /don-vi/{id}/sinh-hoat/huong-dan", httpx.SignedIn, s.uiPublishGuidance)
	s.handle(rt, "GET /don-vi/{id}/sinh-hoat/tong-hop", httpx.SignedIn, s.uiMeetingCompliance)
	s.handle(rt, "GET /don-vi/{id}/sinh-hoat/tong-hop/xlsx", httpx.SignedIn, s.uiMeetingComplianceXLSX)
	s.handle(rt, "GET /don-vi/{id}/sinh-hoat/theo-don-vi", httpx.SignedIn, s.uiMeetingDrill) // meeting_drill.go
	s.handle(rt, "GET "+pageFeeds, httpx.SignedIn, s.uiFeeds)
	s.handle(rt, "POST "+pageFeeds, httpx.SignedIn, s.uiCreateFeed)
	s.handle(rt, "POST "+pageFeeds+"/{id}/thu-hoi", httpx.SignedIn, s.uiRevokeFeed)
	s.handle(rt, "GET /sinh-hoat/{id}", httpx.SignedIn, s.uiMeeting)
	s.handle(rt, "POST /sinh-hoat/{id}/sua", httpx.SignedIn, s.uiMeetingEdit)
	s.handle(rt, "GET /sinh-hoat/{id}/dieu-hanh", httpx.SignedIn, s.uiMeetingMode)
	s.handle(rt, "POST /sinh-hoat/{id}/diem-danh", httpx.SignedIn, s.uiMeetingRoll)
	s.handle(rt, "POST /sinh-hoat/{id}/bien-ban", httpx.SignedIn, s.uiMeetingMinutes)
	s.handle(rt, "POST /sinh-hoat/{id}/ket-thuc", httpx.SignedIn, s.uiMeetingClose)
	s.handle(rt, "POST /sinh-hoat/{id}/bo-sung", httpx.SignedIn, s.uiMeetingAmend)

	// Outbreak response: the foci, a focus and its forms, the district
	// board, the member's shifts (outbreaks.go).
	s.handle(rt, "GET "+PageOutbreaks, httpx.SignedIn, s.uiOutbreaks)
	s.handle(rt, "POST "+PageOutbreaks, httpx.SignedIn, s.uiOpenOutbreak)
	s.handle(rt, "GET "+PageOutbreakBoard, httpx.SignedIn, s.uiOutbreakBoard)
	s.handle(rt, "GET "+PageOutbreakDuties, httpx.SignedIn, s.uiMyShifts)
	s.handle(rt, "POST "+PageOutbreakDuties+"/{id}/xac-nhan", httpx.SignedIn, s.uiConfirmDuty)
	s.handle(rt, "GET /o-dich/{id}", httpx.SignedIn, s.uiOutbreak)
	s.handle(rt, "POST /o-dich/{id}/bao-cao", httpx.SignedIn, s.uiOutbreakReport())
	s.handle(rt, "POST /o-dich/{id}/tai-cho", httpx.SignedIn, s.uiOutbreakOnSite())
	s.handle(rt, "POST /o-dich/{id}/ca-truc", httpx.SignedIn, s.uiOutbreakDuties())
	s.handle(rt, "POST /o-dich/{id}/kinh-phi", httpx.SignedIn, s.uiOutbreakFunding())
	s.handle(rt, "POST /o-dich/{id}/dong", httpx.SignedIn, s.uiCloseOutbreak())

	// The member's handbook and the web app: manifest, service worker,
	// offline page (handbook.go, handbook_pwa.go).
	rt.Handle("GET /manifest.webmanifest", httpx.Public, servePWA(manifestFile))
	rt.Handle("GET /sw.js", httpx.Public, servePWA(workerFile))
	s.handle(rt, "GET "+offlinePath, httpx.Public, s.uiOffline)
	s.handle(rt, "GET /so-tay", httpx.SignedIn, s.uiHandbook)

	// Documents (docs.go, docs_publish.go).
	s.handle(rt, "GET /van-ban", httpx.SignedIn, s.uiLibrary)
	s.handle(rt, "GET /van-ban/moi", httpx.SignedIn, s.uiPublishForm)
	s.handle(rt, "POST /van-ban/moi", httpx.SignedIn, s.uiPublish)
	s.handle(rt, "GET /van-ban/{id}", httpx.SignedIn, s.uiDocument)
	s.handle(rt, "POST /van-ban/{id}/ghi-chu", httpx.SignedIn, s.uiPutNote)
	s.handle(rt, "POST /van-ban/{id}/luu", httpx.SignedIn, s.uiBookmark)

	// Read rates and search (receipts.go, search.go).
	s.handle(rt, "GET /van-ban/{id}/da-doc", httpx.SignedIn, s.uiReceipts)
	s.handle(rt, "GET /tim-kiem", httpx.SignedIn, s.uiSearch)

	// News and comments (news.go).
	s.handle(rt, "GET /tin-tuc", httpx.SignedIn, s.uiNewsList)
	s.handle(rt, "GET /tin-tuc/{id}", httpx.SignedIn, s.uiNews)
	// Posting, editing and featuring it (news_edit.go).
	s.handle(rt, "GET /tin-tuc/moi", httpx.SignedIn, s.uiNewsNew)
	s.handle(rt, "POST /tin-tuc/moi", httpx.SignedIn, s.uiNewsCreate)
	s.handle(rt, "GET /tin-tuc/{id}/sua", httpx.SignedIn, s.uiNewsEdit)
	s.handle(rt, "POST /tin-tuc/{id}/sua", httpx.SignedIn, s.uiNewsUpdate)
	s.handle(rt, "POST /tin-tuc/{id}/noi-bat", httpx.SignedIn, s.uiNewsFeature)
	s.handle(rt, "POST /tin-tuc/{id}/binh-luan", httpx.SignedIn, s.uiAddComment)
	s.handle(rt, "POST /binh-luan/{id}/an", httpx.SignedIn, s.uiHideComment)

	// The inbox and its settings (notifications.go).
	s.handle(rt, "GET /thong-bao", httpx.SignedIn, s.uiInbox)
	s.handle(rt, "POST /thong-bao/da-doc-het", httpx.SignedIn, s.uiReadAll)
	s.handle(rt, "POST /thong-bao/{id}/da-doc", httpx.SignedIn, s.uiReadOne)
	s.handle(rt, "GET /thong-bao/cai-dat", httpx.SignedIn, s.uiNotificationSettings)
	s.handle(rt, "POST /thong-bao/cai-dat", httpx.SignedIn, s.uiPutNotificationSettings)

	// Administration: accounts, the audit log and its verification (admin.go).
	s.handle(rt, "GET "+PageAdminAccounts, httpx.SignedIn, s.uiAdminAccounts)
	s.handle(rt, "GET "+pageAdminNew, httpx.SignedIn, s.uiAdminAccountNew)
	s.handle(rt, "POST "+pageAdminNew, httpx.SignedIn, s.uiAdminAccountCreate)
	s.handle(rt, "GET "+PageAdminAccounts+"/{id}", httpx.SignedIn, s.uiAdminAccount)
	s.handle(rt, "POST "+PageAdminAccounts+"/{id}/vai-tro", httpx.SignedIn, s.uiAdminSetRoles)
	s.handle(rt, "POST "+PageAdminAccounts+"/{id}/mat-khau", httpx.SignedIn, s.uiAdminResetPassword)
	s.handle(rt, "POST "+PageAdminAccounts+"/{id}/xac-thuc", httpx.SignedIn, s.uiAdminResetTOTP)
	s.handle(rt, "GET "+PageAdminAudit, httpx.SignedIn, s.uiAdminAudit)
	s.handle(rt, "GET "+PageAdminVerify, httpx.SignedIn, s.uiAdminVerifyForm)
	s.handle(rt, "POST "+PageAdminVerify, httpx.SignedIn, s.uiAdminVerify)

	// Everything else is the HTML "not found" page rather than the mux's
	// plain-text one.
	s.handle(rt, "/", httpx.Public, s.uiNotFound)
}
