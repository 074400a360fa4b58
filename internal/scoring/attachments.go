package scoring

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/viet"
)

// MaxAttachments bounds the files on one criterion of a sheet.
const MaxAttachments = 20

// Attachment is a file given as evidence for a criterion. Its content is
// kept by doc.Files (by its SHA-256), the same store as the documents'.
// Stage is the sheet's stage when it was added: the file can be removed
// only while the sheet is still at that stage (each stage locks the one
// before, as the points are).
type Attachment struct {
	ID        int64     `json:"id"`
	SheetID   int64     `json:"sheet_id"`
	Criterion string    `json:"criterion"`
	Stage     Stage     `json:"stage"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	AccountID int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Stored is the attachment as it is served.
func (a *Attachment) Stored() doc.StoredFile {
	return doc.StoredFile{ID: a.ID, Name: a.Name, MediaType: a.MediaType, SHA256: a.SHA256, CreatedAt: a.CreatedAt}
}

// AttachmentStore is what the attachments need of the database (a part of
// Store).
type AttachmentStore interface {
	// AddAttachment writes the attachment and its audit entry, and moves
	// the sheet's version on, if the sheet is still at at.Stage (Conflict
	// otherwise) and the criterion has fewer than MaxAttachments files.
	AddAttachment(ctx context.Context, at *Attachment, a auth.AuditEntry) error
	// Attachments lists a sheet's attachments by criterion and upload order.
	Attachments(ctx context.Context, sheetID int64) ([]Attachment, error)
	Attachment(ctx context.Context, sheetID, id int64) (*Attachment, error)
	// RemoveAttachment deletes it with its audit entry if the sheet is
	// still at the attachment's stage (Conflict otherwise).
	RemoveAttachment(ctx context.Context, at *Attachment, a auth.AuditEntry) error
}

// Media types accepted as evidence besides the documents' (PDF, office
// files): photographs.
const (
	MediaJPEG = "image/jpeg"
	MediaPNG  = "image/png"
)

var evidenceExt = map[string]string{MediaJPEG: ".jpg", MediaPNG: ".png", doc.MediaPDF: ".pdf", doc.MediaDOCX: ".docx",
	doc.MediaXLSX: ".xlsx", doc.MediaPPTX: ".pptx", doc.MediaDOC: ".doc", doc.MediaXLS: ".xls", doc.MediaPPT: ".ppt"}

// sniffEvidence tells the type from the content: a photograph (JPEG, PNG)
// or what doc.Sniff accepts; anything else is 415.
func sniffEvidence(r io.ReaderAt, size int64, filename string) (string, error) {
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return MediaJPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return MediaPNG, nil
	}
	media, err := doc.Sniff(r, size, filename)
	if err != nil {
		return "", apperr.Keyed(apperr.Unsupported, "fourgood.attach_type", "attach a photograph (JPEG, PNG), a PDF or an office file")
	}
	return media, nil
}

// evidenceName keeps the base name of an upload, without control
// characters, quotes or path separators, at most 200 bytes, with the
// extension of its real type.
func evidenceName(name, media string) string {
	name = doc.UploadBase(viet.NFC(name))
	ext := evidenceExt[media]
	if name == "" || name == "." || name == ".." {
		name = "minh-chung" + ext
	}
	e := strings.ToLower(filepath.Ext(name))
	if e != ext && !(media == MediaJPEG && e == ".jpeg") {
		name += ext
	}
	return name
}

func (s *Service) attachments() (AttachmentStore, error) {
	as, ok := s.Store.(AttachmentStore)
	if !ok || s.Files == nil {
		return nil, apperr.Keyed(apperr.NotFound, "fourgood.no_attachments", "attachments are not available")
	}
	return as, nil
}

func attachmentNotFound() error {
	return apperr.Keyed(apperr.NotFound, "fourgood.attachment_not_found", "attachment not found")
}

// Attach stores a file as evidence for a leaf criterion of a sheet at its
// current stage, for whoever may score that stage. The type is sniffed
// from the content; the size is at most doc.MaxAttachment. Out of reach
// answers 404 before the body is read; nothing is written on refusal.
func (s *Service) Attach(ctx context.Context, a *auth.Actor, sheetID int64, criterion string, body io.Reader, filename string) (*Attachment, error) {
	as, err := s.attachments()
	if err != nil {
		return nil, err
	}
	sh, f, err := s.writable(ctx, a, sheetID, 0)
	if err != nil {
		return nil, err
	}
	leaf := false
	for _, c := range Flatten(f.Criteria) {
		if c.Code == criterion {
			leaf = c.Leaf
			if !leaf {
				return nil, apperr.InvalidField("criterion", "fourgood.not_leaf", "%s has sub-criteria: score those, its points are their sum", criterion)
			}
		}
	}
	if criterion == "" {
		return nil, apperr.InvalidField("criterion", "fourgood.required", "%s is required", "criterion")
	}
	if !leaf {
		return nil, apperr.InvalidField("criterion", "fourgood.unknown_criterion", "the framework has no criterion %s", criterion)
	}
	if err := viet.CheckLine(filename); err != nil {
		return nil, apperr.Keyed(apperr.Invalid, "fourgood.file_name", "the file name is not valid").With(apperr.FieldFrom("filename", err))
	}
	up, err := doc.KeepUpload(s.Files, body, filename, sniffEvidence)
	if err != nil {
		return nil, err
	}
	at := &Attachment{SheetID: sh.ID, Criterion: criterion, Stage: sh.Stage, Name: evidenceName(filename, up.MediaType), MediaType: up.MediaType,
		Size: up.Size, SHA256: up.SHA256, AccountID: a.AccountID}
	err = as.AddAttachment(ctx, at, auth.AuditEntry{Actor: a, Action: "scoresheet.attach", ObjectType: "scoresheet", ObjectID: sh.ID, UnitPath: sh.UnitPath, After: at})
	if err != nil {
		return nil, err
	}
	return at, nil
}

// Attachments lists a sheet's attachments within reach.
func (s *Service) Attachments(ctx context.Context, a *auth.Actor, sheetID int64) ([]Attachment, error) {
	as, err := s.attachments()
	if err != nil {
		return nil, err
	}
	if _, _, err := s.sheet(ctx, a, sheetID); err != nil {
		return nil, err
	}
	ats, err := as.Attachments(ctx, sheetID)
	if ats == nil {
		ats = []Attachment{}
	}
	return ats, err
}

// OpenAttachment returns an attachment of a sheet within reach and its
// content.
func (s *Service) OpenAttachment(ctx context.Context, a *auth.Actor, sheetID, id int64) (*Attachment, doc.ReadSeekCloser, error) {
	as, err := s.attachments()
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := s.sheet(ctx, a, sheetID); err != nil {
		return nil, nil, err
	}
	at, err := as.Attachment(ctx, sheetID, id)
	if apperr.Is(err, apperr.NotFound) {
		err = attachmentNotFound()
	}
	return doc.OpenFound(s.Files, at, err, func(at *Attachment) string { return at.SHA256 })
}

// RemoveAttachment takes a file off a criterion: by whoever may score the
// sheet's stage, and only a file added at that stage.
func (s *Service) RemoveAttachment(ctx context.Context, a *auth.Actor, sheetID, id int64) error {
	as, err := s.attachments()
	if err != nil {
		return err
	}
	sh, _, err := s.writable(ctx, a, sheetID, 0)
	if err != nil {
		return err
	}
	at, err := as.Attachment(ctx, sheetID, id)
	if apperr.Is(err, apperr.NotFound) {
		return attachmentNotFound()
	}
	if err != nil {
		return err
	}
	if at.Stage != sh.Stage {
		return apperr.Keyed(apperr.Conflict, "fourgood.attachment_locked", "the file was added at the %s stage, which is locked", string(at.Stage))
	}
	return as.RemoveAttachment(ctx, at, auth.AuditEntry{Actor: a, Action: "scoresheet.detach", ObjectType: "scoresheet", ObjectID: sh.ID, UnitPath: sh.UnitPath, Before: at})
}

// withAttachments puts a sheet's attachments on its scores.
func (s *Service) withAttachments(ctx context.Context, sh *Sheet) error {
	as, ok := s.Store.(AttachmentStore)
	if !ok || s.Files == nil {
		return nil
	}
	ats, err := as.Attachments(ctx, sh.ID)
	if err != nil {
		return err
	}
	by := map[string][]Attachment{}
	for _, at := range ats {
		by[at.Criterion] = append(by[at.Criterion], at)
	}
	for i := range sh.Scores {
		sh.Scores[i].Attachments = by[sh.Scores[i].Criterion]
		if sh.Scores[i].Attachments == nil {
			sh.Scores[i].Attachments = []Attachment{}
		}
	}
	return nil
}
