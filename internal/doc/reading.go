package doc

import (
	"context"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
)

// Reading is a document as its page shows it to a reader: the document
// (with the reader's state, attachments and rendered body), the units of
// its printed header (IssuerChain) and the reader's own note.
type Reading struct {
	Doc     *Document
	Issuers []UnitRef
	Note    *Note
}

// Read opens a document for its page: as Get (a member in the audience
// gets a read receipt), with the header's units and the reader's note, the
// document loaded once.
func (s *Service) Read(ctx context.Context, actor *auth.Actor, id int64) (*Reading, error) {
	d, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out := &Reading{Doc: d, Note: &Note{DocumentID: id}}
	if out.Issuers, err = s.IssuerChain(ctx, d); err != nil {
		return nil, err
	}
	if actor.AccountID != 0 {
		n, err := s.Store.DocNote(ctx, id, actor.AccountID)
		switch {
		case err == nil:
			out.Note = n
		case !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	return out, nil
}
