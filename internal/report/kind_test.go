package report

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
)

// kindSource answers figures for one kind of request only, as the
// four-good source does, and records the kinds it was asked about.
type kindSource struct {
	only  string
	asked []string
}

func (k *kindSource) ReportFigures(_ context.Context, _ *auth.Actor, _ *UnitRef, kind string, _, _ date.Date) (Figures, string, error) {
	k.asked = append(k.asked, kind)
	if kind != k.only {
		return nil, "", nil
	}
	return Figures{"x.count": 7}, "**X.** bảy", nil
}

// TestDraftPassesKind: the draft hook gets the request's kind, so that a
// source's figures appear only in the drafts of its kind of request.
func TestDraftPassesKind(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		kind        string
		wantFigure  int64
		wantSection bool
	}{
		{KindFourGood, 7, true},
		{"quarter", 0, false},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			s, _, _, _ := newFake()
			src := &kindSource{only: KindFourGood}
			s.Sources = []FigureSource{src}
			in := good()
			in.Kind = tc.kind
			r, err := s.Create(ctx, on(1, "/1/", auth.RoleOffice), in)
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.Draft(ctx, on(2, "/1/2/", auth.RoleCommittee), r.ID, 2)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tc.kind}, src.asked); diff != "" {
				t.Errorf("kinds asked (-want +got):\n%s", diff)
			}
			if got := d.Figures["x.count"]; got != tc.wantFigure {
				t.Errorf("x.count: got %d, want %d", got, tc.wantFigure)
			}
			if got := strings.Contains(d.Body, "**X.** bảy"); got != tc.wantSection {
				t.Errorf("section in the body: got %v, want %v", got, tc.wantSection)
			}
		})
	}
}
