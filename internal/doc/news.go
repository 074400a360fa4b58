package doc

import (
	"context"

	"github.com/sotay-vn/sotay/internal/auth"
)

// MayEditNews reports whether the actor may edit and feature a piece of
// news the actor reads: those who may publish news from its issuing unit
// (the rule of Revise).
func (s *Service) MayEditNews(ctx context.Context, actor *auth.Actor, d *Document) (bool, error) {
	if !d.IsNews() {
		return false, nil
	}
	iu, err := s.Store.Unit(ctx, d.IssuerUnitID)
	if err != nil {
		return false, err
	}
	return actor.Can(iu.Path, PublishNews), nil
}

// SetFeatured features a piece of news, which the lists and the handbook
// show first, or stops featuring it. The rule is Revise's: those who may
// publish news from its issuing unit; anyone else finds no such news.
func (s *Service) SetFeatured(ctx context.Context, actor *auth.Actor, id int64, on bool) (*Document, error) {
	return s.Revise(ctx, actor, id, ReviseInput{Featured: &on, Kind: KindNews})
}

// setFeatured saves the flag when it changes, audited with before and
// after.
func (s *Service) setFeatured(ctx context.Context, actor *auth.Actor, d *Document, on bool) error {
	if d.Featured == on {
		return nil
	}
	err := s.Store.SetFeatured(ctx, d.ID, on, auth.AuditEntry{Actor: actor, Action: "news.feature", ObjectType: "news", ObjectID: d.ID,
		UnitPath: d.Audience.Path, Before: map[string]any{"featured": d.Featured}, After: map[string]any{"featured": on}})
	if err != nil {
		return err
	}
	d.Featured = on
	return nil
}
