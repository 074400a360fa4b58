package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/meeting"
)

// TestMeetings runs a cell's year through the store on both engines:
// guidance, invitations, the roll with hosted, exempt and away members,
// closing, amendments, paging, the compliance aggregates and the flags.
func TestMeetings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		clock := now // closing stamps the minutes' closing time
		svc := &meeting.Service{Store: Meetings{DB: db}, Now: func() time.Time { return clock }}
		u := mustTree(t, db, "province HN", "district HN.PX", "grassroots HN.PX.A", "cell HN.PX.A.1", "cell HN.PX.A.2", "grassroots HN.PX.B", "cell HN.PX.B.1")
		district, commune, cell, cell2 := u["HN.PX"], u["HN.PX.A"], u["HN.PX.A.1"], u["HN.PX.A.2"]
		otherCommune, otherCell := u["HN.PX.B"], u["HN.PX.B.1"]
		an := mustMember(t, db, cell, "Nguyễn Văn An", "10000001")
		binh := mustMember(t, db, cell, "Trần Thị Bình", "10000002")
		cuong := mustMember(t, db, cell, "Lê Văn Cường", "10000003")
		dung := mustMember(t, db, cell, "Phạm Thị Dung", "10000004")
		em := mustMember(t, db, cell, "Hoàng Văn Em", "10000005")
		gam := mustMember(t, db, otherCell, "Vũ Thị Gấm", "10000006")
		hung := mustMember(t, db, cell, "Đỗ Văn Hùng", "10000007")
		mustMember(t, db, cell2, "Ngô Văn Khoa", "10000008")
		for _, q := range []struct {
			sql string
			id  int64
		}{
			{`UPDATE members SET status = 'probationary' WHERE id = $1`, dung.ID},
			{`UPDATE members SET status = 'exempt' WHERE id = $1`, em.ID},
			{`UPDATE members SET temp_unit_id = ` + fmtInt(cell.ID) + ` WHERE id = $1`, gam.ID},
			{`UPDATE members SET temp_unit_id = ` + fmtInt(otherCell.ID) + ` WHERE id = $1`, hung.ID},
		} {
			if _, err := db.write.ExecContext(ctx, q.sql, q.id); err != nil {
				t.Fatal(err)
			}
		}
		handbook := mustDoc(t, db, &doc.Document{Type: "NQ", IssuerCode: "HU", IssuerUnitID: district.ID, Title: "Nghị quyết", Audience: doc.Audience{UnitID: district.ID}})
		elsewhere := mustDoc(t, db, &doc.Document{Type: "TB", IssuerCode: "HU", IssuerUnitID: district.ID, Title: "Thông báo", Audience: doc.Audience{UnitID: otherCommune.ID}})
		office := actorOn(1, "vp", district, auth.RoleOffice)

		g, err := svc.PublishGuidance(ctx, office, district.ID, meeting.GuidanceInput{Month: "2026-11", Topics: []string{"Học tập Nghị quyết, chuyên đề năm 2026"}, DocumentIDs: []int64{handbook.ID}, Note: "Ghi chú"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.PublishGuidance(ctx, office, district.ID, meeting.GuidanceInput{Month: "2026-11", Topics: []string{"x"}, DocumentIDs: []int64{elsewhere.ID}}); err == nil {
			t.Error("guidance with a document the district's cells cannot read: accepted")
		}
		gs, err := svc.GuidanceFor(ctx, office, cell.ID, "2026-11")
		if err != nil || len(gs) != 1 || gs[0].ID != g.ID || gs[0].Topics[0] != "Học tập Nghị quyết, chuyên đề năm 2026" || gs[0].DocumentIDs[0] != handbook.ID {
			t.Fatalf("guidance for the cell: %+v, %v", gs, err)
		}

		held := func(kind meeting.Kind, at time.Time, att []meeting.Attendance) *meeting.Meeting {
			t.Helper()
			m, err := svc.Schedule(ctx, office, cell.ID, meeting.CreateInput{Kind: kind, StartsAt: at, Place: "Nhà văn hóa", Topic: "Sinh hoạt " + at.Format("01/2006"), GuidanceID: &g.ID,
				Agenda: &[]meeting.AgendaItem{{Title: "Khai mạc"}, {Title: "Quán triệt", DocumentIDs: []int64{handbook.ID}}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.PutAttendance(ctx, office, m.ID, meeting.AttendanceInput{Lines: att}); err != nil {
				t.Fatal(err)
			}
			clock = at.Add(2 * time.Hour) // closed that evening
			defer func() { clock = now }()
			c, err := svc.Close(ctx, office, m.ID, meeting.CloseInput{})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		vn := func(s string) time.Time {
			d, _ := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("ICT", 7*3600))
			return d
		}
		all := []meeting.Attendance{{MemberID: an.ID, Status: meeting.Present}, {MemberID: binh.ID, Status: meeting.Present}, {MemberID: dung.ID, Status: meeting.Present}, {MemberID: gam.ID, Status: meeting.Present}}
		// Cường misses three meetings without reason, Bình one with a reason.
		m1 := held(meeting.Regular, vn("2026-01-31 19:30"), all)
		m2 := held(meeting.Regular, vn("2026-02-05 19:30"), append(all[:1:1], meeting.Attendance{MemberID: binh.ID, Status: meeting.Excused, Reason: "Ốm"}))
		m3 := held(meeting.Thematic, vn("2026-02-20 19:30"), all)
		// A meeting of 1 March 00:30 in Vietnam is still 28 February in UTC.
		m4 := held(meeting.Regular, vn("2026-03-01 00:30"), all)

		if m1.Expected != 5 || m1.Present != 4 {
			t.Errorf("meeting 1: expected %d present %d, want 5 4", m1.Expected, m1.Present)
		}
		r, err := svc.Roll(ctx, office, m2.ID)
		if err != nil {
			t.Fatal(err)
		}
		lines := map[string]string{}
		for _, l := range r.Expected {
			lines[l.FullName] = l.Class + "/" + l.Status + "/" + l.Reason
		}
		for _, l := range r.Exempt {
			lines[l.FullName] = "apart:" + l.Class + "/" + l.Status
		}
		want := map[string]string{"Nguyễn Văn An": "full/present/", "Trần Thị Bình": "full/excused/Ốm", "Lê Văn Cường": "full/absent/",
			"Phạm Thị Dung": "probationary/absent/", "Vũ Thị Gấm": "full/absent/", "Hoàng Văn Em": "apart:exempt/excused"}
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("frozen roll of meeting 2 (-want +got):\n%s", diff)
		}
		if r.Quorum.Full.Expected != 4 || r.Quorum.Full.Present != 1 || r.Quorum.Probationary.Expected != 1 || r.Quorum.Valid {
			t.Errorf("quorum %+v", r.Quorum)
		}

		// Invitations: the cell's active members and the hosted one, once each.
		var invited int
		if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE kind = 'meeting_scheduled' AND link = $1`, "/sinh-hoat/"+fmtInt(m1.ID)).Scan(&invited); err != nil {
			t.Fatal(err)
		}
		if invited != 6 { // An, Bình, Cường, Dung, Em (exempt, welcome), Gấm (hosted); not Hùng (away)
			t.Errorf("invitations %d, want 6", invited)
		}

		am, err := svc.Amend(ctx, office, m1.ID, meeting.AmendInput{Field: "resolution", Text: "Nghị quyết, bản sửa; có \"ngoặc\"", Reason: "Ghi sai"})
		if err != nil {
			t.Fatal(err)
		}
		if len(am.Amendments) != 1 || am.Amendments[0].Text != "Nghị quyết, bản sửa; có \"ngoặc\"" || am.Amendments[0].By != "vp" || am.Version != m1.Version+1 {
			t.Errorf("amendments %+v version %d", am.Amendments, am.Version)
		}

		// Paging: one cell's meetings by start, two at a time.
		var got []int64
		cursor := ""
		for i := 0; i < 5; i++ {
			p, err := svc.List(ctx, office, meeting.ListInput{UnitID: cell.ID, Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 4 {
				t.Errorf("total %d, want 4", p.Total)
			}
			for _, m := range p.Items {
				got = append(got, m.ID)
			}
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		if diff := cmp.Diff([]int64{m1.ID, m2.ID, m3.ID, m4.ID}, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
		p, err := svc.List(ctx, office, meeting.ListInput{UnitID: commune.ID})
		if err != nil || p.Total != 4 {
			t.Errorf("the commune's list: %v, %v", p, err)
		}

		// Compliance for the commune, as of March.
		c, err := svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: commune.ID, Year: 2026, AsOf: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		type cellRow struct {
			ID      int64
			Regular []bool
			Th      []bool
		}
		var rows []cellRow
		for _, cc := range c.Cells {
			r := cellRow{ID: cc.UnitID}
			for _, mo := range cc.Months {
				r.Regular = append(r.Regular, mo.Regular)
				r.Th = append(r.Th, mo.ThematicInQuarter)
			}
			rows = append(rows, r)
		}
		wantRows := []cellRow{
			{cell2.ID, []bool{false, false, false}, []bool{false, false, false}},
			{cell.ID, []bool{true, true, true}, []bool{true, true, true}},
		}
		if diff := cmp.Diff(wantRows, rows); diff != "" {
			t.Errorf("grid (-want +got):\n%s", diff)
		}
		if rate := c.Cells[1].Months[0].AttendanceRate; rate == nil || *rate != 0.8 {
			t.Errorf("January's attendance %v, want 0.8", rate)
		}
		// Cường: absent without reason in all four meetings; Dung and Gấm
		// only in meeting 2.
		wantFlags := []meeting.Flag{{MemberID: cuong.ID, FullName: "Lê Văn Cường", UnitID: cell.ID, Absences: 4, MeetingIDs: []int64{m1.ID, m2.ID, m3.ID, m4.ID}}}
		if diff := cmp.Diff(wantFlags, c.Flags); diff != "" {
			t.Errorf("flags (-want +got):\n%s", diff)
		}
		// As of February the March meeting does not count.
		c, err = svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: commune.ID, Year: 2026, AsOf: "2026-02"})
		if err != nil || len(c.Cells[1].Months) != 2 || c.Flags[0].Absences != 3 {
			t.Errorf("as of February: %+v, %v", c, err)
		}
		// "As of" is what was known then: the second cell's January meeting,
		// its minutes closed only on 10 April, is not known as of March; it
		// is as of April and now.
		late, err := svc.Schedule(ctx, office, cell2.ID, meeting.CreateInput{Kind: meeting.Regular, StartsAt: vn("2026-01-15 19:30"), Place: "Nhà văn hóa", Topic: "Sinh hoạt tháng 1"})
		if err != nil {
			t.Fatal(err)
		}
		clock = vn("2026-04-10 09:00")
		if _, err := svc.Close(ctx, office, late.ID, meeting.CloseInput{}); err != nil {
			t.Fatal(err)
		}
		clock = now
		for _, tc := range []struct {
			asOf    string
			january bool
			cell2   int // cell2's meetings in January
		}{{"2026-03", false, 0}, {"2026-04", true, 1}, {"", true, 1}} {
			c, err := svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: commune.ID, Year: 2026, AsOf: tc.asOf})
			if err != nil {
				t.Fatal(err)
			}
			for _, cc := range c.Cells {
				if cc.UnitID == cell2.ID {
					if got := cc.Months[0]; got.Regular != tc.january || got.Meetings != tc.cell2 {
						t.Errorf("as of %q: cell 2's January regular %v meetings %d, want %v %d", tc.asOf, got.Regular, got.Meetings, tc.january, tc.cell2)
					}
				}
				if cc.UnitID == cell.ID && !cc.Months[0].Regular {
					t.Errorf("as of %q: cell 1's January meeting, closed that evening, is missing", tc.asOf)
				}
			}
			// The flags: from the lines as of a past month, from the
			// roll-up (meeting_member_years) for the year known now.
			if diff := cmp.Diff(wantFlags, c.Flags); diff != "" {
				t.Errorf("as of %q: flags (-want +got):\n%s", tc.asOf, diff)
			}
		}
		// Cường's absence in the March meeting was known as of March, not
		// as of February (by month and by closing).
		if c, err := svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: cell.ID, Year: 2026, AsOf: "2026-03"}); err != nil || len(c.Flags) != 1 || c.Flags[0].Absences != 4 {
			t.Errorf("as of March: flags %+v, %v", c.Flags, err)
		}
		// The cell's own report has each member's rate.
		c, err = svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: cell.ID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		rates := map[string]string{}
		for _, r := range c.Members {
			rates[r.FullName] = fmt.Sprintf("%d/%d/%d/%d", r.Present, r.Excused, r.Absent, r.Expected)
		}
		wantRates := map[string]string{"Nguyễn Văn An": "4/0/0/4", "Trần Thị Bình": "3/1/0/4", "Lê Văn Cường": "0/0/4/4", "Phạm Thị Dung": "3/0/1/4", "Vũ Thị Gấm": "3/0/1/4"}
		if diff := cmp.Diff(wantRates, rates); diff != "" {
			t.Errorf("member rates, present/excused/absent/expected (-want +got):\n%s", diff)
		}
		// Another commune sees none of it.
		c, err = svc.Compliance(ctx, office, meeting.ComplianceInput{UnitID: otherCommune.ID, Year: 2026})
		if err != nil || len(c.Cells) != 1 || c.Cells[0].UnitID != otherCell.ID || len(c.Flags) != 0 {
			t.Errorf("the other commune: %+v, %v", c, err)
		}
	})
}
