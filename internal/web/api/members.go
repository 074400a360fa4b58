package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func (s *Handler) apiMembers(w http.ResponseWriter, r *http.Request) error {
	in, err := s.listInput(r)
	if err != nil {
		return err
	}
	// The service shows each record as the actor may see it.
	page, err := s.Members.List(r.Context(), httpx.ActorFrom(r), in)
	return send(w, http.StatusOK, page, err)
}

func (s *Handler) listInput(r *http.Request) (member.ListInput, error) {
	q := r.URL.Query()
	unit, err := unitRequired(r)
	if err != nil {
		return member.ListInput{}, err
	}
	asOf, err := httpx.QueryDate(r, "as_of")
	if err != nil {
		return member.ListInput{}, err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return member.ListInput{}, err
	}
	return member.ListInput{UnitID: unit, Q: q.Get("q"), Status: q.Get("status"), AsOf: asOf, Limit: limit, Cursor: q.Get("cursor"),
		Hosted: q.Get("temporary") == "true"}, nil
}

func (s *Handler) apiDueFull(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitRequired(r)
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	page, err := s.Members.DueForFull(r.Context(), httpx.ActorFrom(r), unit, limit, r.URL.Query().Get("cursor"))
	return send(w, http.StatusOK, page, err)
}

func (s *Handler) apiMember(w http.ResponseWriter, r *http.Request) error {
	// The service shows the record as the actor may see it.
	v, err := httpx.ByPathID(r, s.Members.Get)
	if err != nil {
		return err
	}
	if v.Version > 0 { // a public view carries no version to edit
		httpx.SetETag(w, v.Version)
	}
	return sendFresh(w, v, nil)
}

func (s *Handler) apiCreateMember(w http.ResponseWriter, r *http.Request) error {
	created, err := withBody(w, r, func(ctx context.Context, a *auth.Actor, m member.Member) (*member.Member, error) {
		return s.Members.Create(ctx, a, &m)
	})
	return sendNew(w, "/api/v1/members/", created, err)
}

func (s *Handler) apiUpdateMember(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, ifMatch(r, func(p *member.Patch) *int { return &p.Version }, s.Members.Update))
	return sendRecord(w, http.StatusOK, m, err)
}

func (s *Handler) apiTransfer(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, ifMatch(r, func(in *member.TransferInput) *int { return s.todayUnlessSet(&in.EffectiveOn, &in.Version) },
		s.Members.Transfer))
	return sendRecord(w, http.StatusOK, m, err)
}

func (s *Handler) apiChangeStatus(w http.ResponseWriter, r *http.Request) error {
	m, err := byIDWithBody(w, r, ifMatch(r, func(in *member.StatusInput) *int { return s.todayUnlessSet(&in.EffectiveOn, &in.Version) },
		s.Members.ChangeStatus))
	return sendRecord(w, http.StatusOK, m, err)
}

// todayUnlessSet makes a lifecycle change without effective_on take
// effect today, and answers the input's version (for ifMatch).
func (s *Handler) todayUnlessSet(on *date.Date, version *int) *int {
	if on.IsZero() {
		*on = s.Today()
	}
	return version
}

// uploadedFile returns the file of an upload: the multipart field "file",
// or the raw body with its media type.
func (s *Handler) uploadedFile(w http.ResponseWriter, r *http.Request) (io.Reader, string, string, error) {
	if r.ContentLength > s.MaxUpload {
		return nil, "", "", apperr.Keyed(apperr.TooLarge, "common.file_larger_than_mib", "the file is larger than %d MiB", s.MaxUpload>>20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload+1<<20)
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.Body, r.URL.Query().Get("filename"), mt, nil
	}
	mr, err := r.MultipartReader()
	if err != nil || params["boundary"] == "" {
		return nil, "", "", apperr.Keyed(apperr.Malformed, "common.multipart_body_cannot_read", "the multipart body cannot be read")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, "", "", apperr.Keyed(apperr.Invalid, "common.no_file_was_sent", "no file was sent").With(apperr.FieldKeyed("file", "common.required", "required"))
		}
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				return nil, "", "", apperr.Keyed(apperr.TooLarge, "common.file_larger_than_mib", "the file is larger than %d MiB", s.MaxUpload>>20)
			}
			return nil, "", "", apperr.Keyed(apperr.Malformed, "common.multipart_body_cannot_read", "the multipart body cannot be read")
		}
		if part.FormName() == "file" {
			if !utf8.ValidString(part.FileName()) {
				return nil, "", "", apperr.Keyed(apperr.Malformed, "http.file_name_not_valid", "the file name is not valid UTF-8")
			}
			return part, part.FileName(), part.Header.Get("Content-Type"), nil
		}
	}
}

func (s *Handler) apiImportMembers(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitRequired(r)
	if err != nil {
		return err
	}
	body, name, mt, err := s.uploadedFile(w, r)
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dry_run")
	rep, err := s.Importer.Import(r.Context(), httpx.ActorFrom(r), member.ImportInput{UnitID: unit, DryRun: dry == "true" || dry == "1",
		Body: body, Filename: name, MediaType: mt, MaxBytes: s.MaxUpload})
	if err != nil {
		return err
	}
	st := http.StatusOK
	if rep.Created > 0 {
		st = http.StatusCreated
	}
	httpx.WriteJSON(w, st, rep)
	return nil
}

func (s *Handler) apiExportMembers(w http.ResponseWriter, r *http.Request) error {
	unit, err := unitRequired(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	in := member.ExportInput{UnitID: unit, Q: q.Get("q"), Status: q.Get("status"), Format: q.Get("format")}
	if in.Format == "" {
		in.Format = "xlsx"
	}
	return s.ExportMembers(w, r, in)
}

func (s *Handler) apiMemberEvents(w http.ResponseWriter, r *http.Request) error {
	evs, err := httpx.ByPathID(r, s.Members.Events)
	return sendAll(w, http.StatusOK, evs, err)
}
