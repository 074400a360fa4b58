package scoring

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/date"
)

type fakeMeetings struct {
	paths map[int64]string
	got   [2]date.Date
}

func (f *fakeMeetings) MeetingEvidence(_ context.Context, unitID int64, from, to date.Date) (*MeetingSummary, error) {
	f.got = [2]date.Date{from, to}
	return &MeetingSummary{Held: 7, Regular: 6, Thematic: 1, RegularMonths: 6, Expected: 60, Present: 52}, nil
}

func (f *fakeMeetings) MeetingLink(_ context.Context, id int64) (string, string, error) {
	p, ok := f.paths[id]
	if !ok {
		return "", "", apperr.NotFoundf("no meeting")
	}
	return "Sinh hoạt", p, nil
}

type fakeConferences struct{ paths map[int64]string }

func (f *fakeConferences) ConferenceEvidence(context.Context, int64, date.Date, date.Date) (*ConferenceSummary, error) {
	return &ConferenceSummary{Conferences: 2, Expected: 20, Present: 17, Absent: 3}, nil
}

func (f *fakeConferences) ConferenceLink(_ context.Context, id int64) (string, string, error) {
	p, ok := f.paths[id]
	if !ok {
		return "", "", apperr.NotFoundf("no conference")
	}
	return "Hội nghị", p, nil
}

// TestMeetingAndConferenceEvidence: with the sources wired in, the sheet
// carries their summaries (months due up to today, attendance rounded
// down) and links to the cell's own meetings and to conferences addressed
// to it are kept; another cell's meeting, a committee's meeting and a
// conference of another commune are refused. Without the sources the
// kinds are refused and the summaries are null.
func TestMeetingAndConferenceEvidence(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t) // today is 2026-03-01
	f := w.sampleFramework(t)
	sh, err := w.s.Register(ctx, w.cell, f.ID, RegisterInput{UnitID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if ev := sh.EvidenceFromSystem; ev == nil || ev.Meetings != nil || ev.Conferences != nil {
		t.Fatalf("without sources: got %+v, want no meetings nor conferences", ev)
	}
	link := func(kind string, id int64) error {
		_, err := w.s.PutScores(ctx, w.cell, sh.ID, 0, []ScoreInput{{Criterion: "2", Links: &[]Link{{Kind: kind, ID: id}}}})
		return err
	}
	if err := link(LinkMeeting, 1); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a meeting without the module: got %v, want invalid", err)
	}
	meetings := &fakeMeetings{paths: map[int64]string{1: "/1/2/3/", 2: "/1/2/4/", 3: "/1/2/"}}
	w.s.Meetings, w.s.Conferences = meetings, &fakeConferences{paths: map[int64]string{1: "/1/2/", 2: "/1/5/"}}
	got, err := w.s.Sheet(ctx, w.cell, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&MeetingSummary{Held: 7, Regular: 6, Thematic: 1, RegularMonths: 6, MonthsDue: 3, Expected: 60, Present: 52, AttendancePct: 86},
		got.EvidenceFromSystem.Meetings); diff != "" {
		t.Errorf("meetings (-want +got):\n%s", diff)
	}
	if meetings.got != [2]date.Date{date.MustParse("2026-01-01"), date.MustParse("2026-12-31")} {
		t.Errorf("meetings asked for %v, want the year 2026", meetings.got)
	}
	if c := got.EvidenceFromSystem.Conferences; c == nil || c.Absent != 3 {
		t.Errorf("conferences: got %+v", c)
	}
	for _, tc := range []struct {
		name string
		kind string
		id   int64
		ok   bool
	}{
		{"the cell's meeting", LinkMeeting, 1, true},
		{"another cell's meeting", LinkMeeting, 2, false},
		{"the commune committee's meeting", LinkMeeting, 3, false},
		{"a missing meeting", LinkMeeting, 9, false},
		{"a conference to the commune", LinkConference, 1, true},
		{"a conference to another commune", LinkConference, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := link(tc.kind, tc.id)
			if tc.ok && err != nil {
				t.Fatalf("got %v, want kept", err)
			}
			if !tc.ok && !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("got %v, want invalid", err)
			}
			if tc.ok {
				s, _ := w.s.Sheet(ctx, w.cell, sh.ID)
				var links []Link
				for _, sc := range s.Scores {
					if sc.Criterion == "2" {
						links = sc.Links
					}
				}
				if diff := cmp.Diff([]Link{{Kind: tc.kind, ID: tc.id, Title: map[string]string{LinkMeeting: "Sinh hoạt", LinkConference: "Hội nghị"}[tc.kind]}}, links); diff != "" {
					t.Errorf("links (-want +got):\n%s", diff)
				}
			}
		})
	}
}
