package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/page"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

func (s *Handler) apiMembers(w http.ResponseWriter, r *http.Request) error {
	in, err := s.listInput(r)
	if err != nil {
		return err
	}
	// The service shows each record as the actor may see it.
	page, err := s.Members.List(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *Handler) listInput(r *http.Request) (member.ListInput, error) {
	q := r.URL.Query()
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return member.ListInput{}, err
	}
	if unit == 0 {
		return member.ListInput{}, apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
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
	unit, err := httpx.QueryID(r, "unit")
	if err == nil && unit == 0 {
		err = apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
	}
	if err != nil {
		return err
	}
	limit, err := httpx.QueryLimit(r)
	if err != nil {
		return err
	}
	page, err := s.Members.DueForFull(r.Context(), httpx.ActorFrom(r), unit, limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *Handler) apiMember(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	// The service shows the record as the actor may see it.
	v, err := s.Members.Get(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	if v.Version > 0 { // a public view carries no version to edit
		httpx.SetETag(w, v.Version)
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

func (s *Handler) apiCreateMember(w http.ResponseWriter, r *http.Request) error {
	var m member.Member
	if err := httpx.DecodeJSON(w, r, &m); err != nil {
		return err
	}
	created, err := s.Members.Create(r.Context(), httpx.ActorFrom(r), &m)
	if err != nil {
		return err
	}
	httpx.SetETag(w, created.Version)
	w.Header().Set("Location", "/api/v1/members/"+strconv.FormatInt(created.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Handler) apiUpdateMember(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var p member.Patch
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		return err
	}
	if v, err := httpx.IfMatch(r); err != nil {
		return err
	} else if v != 0 {
		p.Version = v
	}
	m, err := s.Members.Update(r.Context(), httpx.ActorFrom(r), id, p)
	if err != nil {
		return err
	}
	httpx.SetETag(w, m.Version)
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (s *Handler) apiTransfer(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in member.TransferInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.Today()
	}
	if v, err := httpx.IfMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	m, err := s.Members.Transfer(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, m.Version)
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

func (s *Handler) apiChangeStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in member.StatusInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.EffectiveOn.IsZero() {
		in.EffectiveOn = s.Today()
	}
	if v, err := httpx.IfMatch(r); err != nil {
		return err
	} else if v != 0 {
		in.Version = v
	}
	m, err := s.Members.ChangeStatus(r.Context(), httpx.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	httpx.SetETag(w, m.Version)
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
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
	unit, err := httpx.QueryID(r, "unit")
	if err == nil && unit == 0 {
		err = apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
	}
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
	unit, err := httpx.QueryID(r, "unit")
	if err == nil && unit == 0 {
		err = apperr.Keyed(apperr.Invalid, "common.unit_required", "unit is required").With(apperr.FieldKeyed("unit", "common.required", "required"))
	}
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
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	evs, err := s.Members.Events(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page.Of[member.Event]{Items: evs, Total: len(evs)})
	return nil
}
