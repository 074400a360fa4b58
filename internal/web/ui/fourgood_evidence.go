package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The scoresheet's evidence: files on a criterion (upload, remove; the
// download is the API's), and the picker that links a document, meeting
// or task of the cell without pasting ids. Everything works without
// JavaScript: the picker is a GET form on the sheet itself
// (?chon=code&loai=kind&q=words) and each candidate a small POST form.

// fgPicker is the evidence picker open on one criterion.
type fgPicker struct {
	Code  string
	Kind  string
	Q     string
	Kinds []string
	Items []scoring.Link
	// Linked: the candidates already linked to the criterion.
	Linked map[string]bool
}

// fgPick opens the picker when the page asks for it (?chon=) and the
// viewer may score the sheet now; a bad query shows as the page's error.
func (s *Handler) fgPick(r *http.Request, p *fgSheetPage, scores map[string]*scoring.Score) error {
	q := r.URL.Query()
	code := q.Get("chon")
	if code == "" || !p.MayWrite {
		return nil
	}
	sc, ok := scores[code]
	if !ok {
		return nil
	}
	kinds := s.FourGood.PickerKinds()
	pk := &fgPicker{Code: code, Kind: q.Get("loai"), Q: q.Get("q"), Kinds: kinds, Linked: map[string]bool{}, Items: []scoring.Link{}}
	if !slices.Contains(kinds, pk.Kind) && len(kinds) > 0 {
		pk.Kind = kinds[0]
	}
	for _, l := range sc.Links {
		pk.Linked[l.Kind+":"+strconv.FormatInt(l.ID, 10)] = true
	}
	items, err := s.FourGood.LinkCandidates(r.Context(), httpx.ActorFrom(r), p.S.ID, pk.Kind, pk.Q)
	if c := apperr.CodeOf(err); err != nil && c == apperr.Invalid {
		p.Error, p.ErrorCode = fgError(langOf(r), err), code
	} else if err != nil {
		return err
	}
	if items != nil {
		pk.Items = items
	}
	p.Pick = pk
	return nil
}

// fgUploadDone is fgDone for an upload: a refused file (too large, of a
// type not accepted, unreadable) shows on the page with its own status.
func (s *Handler) fgUploadDone(w http.ResponseWriter, r *http.Request, id int64, code string, err error) error {
	next := fmt.Sprintf("%s/bieu/%d?ok=1#c-%s", pageFourGood, id, code)
	switch c := apperr.CodeOf(err); {
	case err == nil:
		httpx.SeeOther(w, r, next)
		return nil
	case c == apperr.Invalid || c == apperr.Conflict || c == apperr.TooLarge || c == apperr.Unsupported || c == apperr.Malformed:
		return s.fgSheetPage(w, r, id, httpx.Status(c), fgError(langOf(r), err), code)
	}
	return err
}

// uiAttachEvidence adds a file (multipart: criterion, file) to a
// criterion of the sheet at its stage.
func (s *Handler) uiAttachEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	a := httpx.ActorFrom(r)
	// Reach first: out of reach answers 404 whatever the upload.
	if _, err := s.FourGood.Attachments(r.Context(), a, id); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		// not a form with a file (multipart/form-data)
		return s.fgUploadDone(w, r, id, "", apperr.Keyed(apperr.Invalid, "common.no_file_was_sent", "no file was sent"))
	}
	code := ""
	for {
		part, err := mr.NextPart()
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				return s.fgUploadDone(w, r, id, code, apperr.Keyed(apperr.TooLarge, "common.file_larger_than_mib", "the file is larger than %d MiB", s.MaxUpload>>20))
			}
			return s.fgUploadDone(w, r, id, code, apperr.Keyed(apperr.Invalid, "common.no_file_was_sent", "no file was sent"))
		}
		switch part.FormName() {
		case "criterion":
			b, _ := io.ReadAll(io.LimitReader(part, scoring.MaxCodeLen+1))
			code = string(b)
		case "file":
			name := part.FileName()
			if !utf8.ValidString(name) {
				return s.fgUploadDone(w, r, id, code, apperr.Keyed(apperr.Malformed, "http.file_name_not_valid", "the file name is not valid UTF-8"))
			}
			if name == "" {
				return s.fgUploadDone(w, r, id, code, apperr.Keyed(apperr.Invalid, "common.no_file_was_sent", "no file was sent"))
			}
			_, err := s.FourGood.Attach(r.Context(), a, id, code, part, norm.NFC.String(name))
			return s.fgUploadDone(w, r, id, code, err)
		}
	}
}

// uiRemoveEvidence takes a file off a criterion.
func (s *Handler) uiRemoveEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	aid, err := httpx.PathID(r, "aid")
	if err != nil {
		return err
	}
	code := r.PostForm.Get("criterion")
	err = s.FourGood.RemoveAttachment(r.Context(), httpx.ActorFrom(r), id, aid)
	return s.fgUploadDone(w, r, id, code, err)
}

// uiLinkEvidence links (or with remove=1 unlinks) a document, meeting or
// task to a criterion: the criterion's links are written again through
// PutScores, so the rules are the API's.
func (s *Handler) uiLinkEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	form := r.PostForm
	code, kind := form.Get("criterion"), form.Get("kind")
	lid, _ := strconv.ParseInt(form.Get("link_id"), 10, 64)
	version, _ := strconv.Atoi(form.Get("version"))
	a := httpx.ActorFrom(r)
	sh, err := s.FourGood.Sheet(r.Context(), a, id)
	if err != nil {
		return err
	}
	var links []scoring.Link
	for _, sc := range sh.Scores {
		if sc.Criterion == code {
			links = slices.Clone(sc.Links)
		}
	}
	at := slices.IndexFunc(links, func(l scoring.Link) bool { return l.Kind == kind && l.ID == lid })
	switch {
	case form.Get("remove") == "1" && at >= 0:
		links = slices.Delete(links, at, at+1)
	case form.Get("remove") != "1" && at < 0:
		links = append(links, scoring.Link{Kind: kind, ID: lid})
	}
	for i := range links {
		links[i].Title = ""
	}
	_, err = s.FourGood.PutScores(r.Context(), a, id, version, []scoring.ScoreInput{{Criterion: code, Links: &links}})
	return fgDone(w, r, err, fmt.Sprintf("%s/bieu/%d?ok=1#c-%s", pageFourGood, id, code), func(msg string) error {
		return s.fgSheetPage(w, r, id, http.StatusUnprocessableEntity, msg, code)
	})
}
