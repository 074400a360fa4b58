package ui

import (
	"errors"
	"net/http"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// importPage is the upload form of a member list, and the report of the
// last upload.
type importPage struct {
	view
	Unit   *org.Unit
	Report *member.Report
	// Message says why the file was refused as a whole.
	Message string
}

// importFormMemory is how much of an upload is held in memory; the rest
// of a large file waits in a temporary file until the request ends.
const importFormMemory = 4 << 20

func (s *Handler) uiImportForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	return s.show(w, r, "import", p, err)
}

func (s *Handler) uiImport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.importPage(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload+1<<20)
	if err := r.ParseMultipartForm(importFormMemory); err != nil {
		return s.importFailed(w, r, p, uploadError(err))
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.importFailed(w, r, p, apperr.Keyed(apperr.Invalid, "common.no_file_was_sent", "no file was sent").With(apperr.FieldKeyed("file", "common.required", "required")))
	}
	defer f.Close()
	p.Report, err = s.Importer.Import(r.Context(), httpx.ActorFrom(r), member.ImportInput{UnitID: p.Unit.ID, DryRun: r.PostForm.Get("dry_run") != "",
		Body: f, Filename: hdr.Filename, MediaType: hdr.Header.Get("Content-Type"), MaxBytes: s.MaxUpload})
	if err != nil {
		return s.importFailed(w, r, p, err)
	}
	return s.show(w, r, "import", p, nil)
}

// importPage is the page of the unit of the URL if the actor may write
// members there; else "not found".
func (s *Handler) importPage(r *http.Request) (*importPage, error) {
	u, err := s.unitFromPath(r)
	if err != nil {
		return nil, err
	}
	actor := httpx.ActorFrom(r)
	if !actor.Can(u.Path, auth.WriteMembers) {
		return nil, apperr.Keyed(apperr.NotFound, "common.unit_not_found", "unit %d not found", u.ID)
	}
	p := &importPage{Unit: u}
	p.Crumbs = s.trail(r.Context(), actor, u)
	return p, nil
}

// importFailed shows a refused file on the form: with its report when the
// rows had errors, else with the reason. Other errors get the error page.
func (s *Handler) importFailed(w http.ResponseWriter, r *http.Request, p *importPage, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Code == apperr.NotFound || e.Code == apperr.Internal {
		return err
	}
	if p.Report == nil {
		p.Message = errText(langOf(r), e)
	}
	s.render(w, r, httpx.Status(e.Code), "import", p)
	return nil
}

// uploadError turns a failed multipart parse into the application error.
func uploadError(err error) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return apperr.Keyed(apperr.TooLarge, "common.file_too_large", "the file is too large")
	}
	return apperr.Keyed(apperr.Malformed, "common.multipart_body_cannot_read", "the multipart body cannot be read")
}
