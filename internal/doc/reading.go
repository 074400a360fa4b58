package doc

import (
	"context"
	"sync"
	"time"

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

// ReaderView is what the store answers about a document's reader with the
// document (Store.Reading).
type ReaderView struct {
	ReadVersion int
	Bookmarked  bool
	// Note is the account's note, nil when it has none.
	Note        *Note
	Attachments int
}

// Read opens a document for its page, as Get does (a member in the
// audience gets a read receipt, once per revision), with the header's units
// and the reader's note. It is the page's hot path, so it costs few
// queries: the document with the reader's view of it (receipts, bookmark,
// note and the number of attachments) in one, the attachments only when
// there are some, and the receipt only on the first read of a revision; the
// issuing units' names come from a short-lived cache and the rendered body
// from RenderCached.
func (s *Service) Read(ctx context.Context, actor *auth.Actor, id int64) (*Reading, error) {
	d, v, err := s.Store.Reading(ctx, id, actor.MemberID, actor.AccountID)
	if err != nil {
		return nil, err
	}
	r := ReachOf(actor)
	if d.Kind != KindDocument || !r.MayRead(d.Audience) {
		return nil, notFound(KindDocument, id)
	}
	if r.Expects(d.Audience) && v.ReadVersion != d.Version {
		if err := s.Store.RecordReceipt(ctx, d.ID, r.MemberID, d.Version); err != nil {
			return nil, err
		}
		v.ReadVersion = d.Version
	}
	d.Bookmarked = v.Bookmarked
	if r.Expects(d.Audience) {
		read := v.ReadVersion == d.Version
		d.Read, d.ReadVersion = &read, v.ReadVersion
	}
	if v.Attachments > 0 {
		if d.Attachments, err = s.Store.Attachments(ctx, d.ID); err != nil {
			return nil, err
		}
	}
	d.BodyHTML = RenderCached(d.Body)
	out := &Reading{Doc: d, Note: v.Note}
	if out.Note == nil {
		out.Note = &Note{DocumentID: id}
	}
	if out.Issuers, err = s.issuerChainCached(ctx, d); err != nil {
		return nil, err
	}
	return out, nil
}

// unitNameTTL is how long the names of issuing units are kept for the
// header of document pages: a renamed unit shows its new name within it.
const unitNameTTL = time.Minute

var unitNames = struct {
	sync.Mutex
	m map[int64]cachedUnits
}{m: map[int64]cachedUnits{}}

type cachedUnits struct {
	units []UnitRef
	until time.Time
}

// ForgetUnitNames empties the cache of issuing units' names: a unit was
// renamed or moved (on any process: the wiring calls it on the database's
// notice).
func ForgetUnitNames() {
	unitNames.Lock()
	clear(unitNames.m)
	unitNames.Unlock()
}

// issuerChainCached is IssuerChain through a small cache by issuing unit
// (at most one entry per unit that issues documents).
func (s *Service) issuerChainCached(ctx context.Context, d *Document) ([]UnitRef, error) {
	now := time.Now()
	unitNames.Lock()
	c, ok := unitNames.m[d.IssuerUnitID]
	unitNames.Unlock()
	if ok && now.Before(c.until) {
		return c.units, nil
	}
	units, err := s.IssuerChain(ctx, d)
	if err != nil {
		return nil, err
	}
	unitNames.Lock()
	if len(unitNames.m) > 10000 {
		clear(unitNames.m)
	}
	unitNames.m[d.IssuerUnitID] = cachedUnits{units: units, until: now.Add(unitNameTTL)}
	unitNames.Unlock()
	return units, nil
}

// notFound is the one answer for a document or news item that is missing
// or out of reach (the store answers the same for a missing one).
func notFound(kind Kind, id int64) error {
	if kind == KindNews {
		return apperr.Keyed(apperr.NotFound, "doc.news_not_found", "news %d not found", id)
	}
	return apperr.Keyed(apperr.NotFound, "doc.document_not_found", "document %d not found", id)
}
