package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sotay-vn/sotay/internal/conference"
	"github.com/sotay-vn/sotay/internal/store"
)

// TestConferenceInvitations: every expected attendee finds one invitation
// in the inbox (as many as the conference invited), a member who joins the
// audience before the start is expected and invited too, the bridge points
// tell each attendee where, and each member's record keeps the conference
// with present, elsewhere or absent.
func TestConferenceInvitations(t *testing.T) { bothEngines(t, testConferenceInvitations) }

func testConferenceInvitations(t *testing.T, m *Main) {
	ctx := context.Background()
	office, dv := m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
	district, phuTuc := phuTucUnits(t, m)
	me := accountMember(t, m, "dangvien")
	mate := firstMember(t, m, me.UnitID, me.ID)
	type confJSON struct {
		ID      int64 `json:"id"`
		Invited int   `json:"invited"`
	}
	create := func(title string, start time.Time) confJSON {
		t.Helper()
		var c confJSON
		body := map[string]any{"title": title, "starts_at": start, "host_unit_id": district.ID, "audience": map[string]any{"unit_id": phuTuc.ID}}
		if st := office.do("POST", "/api/v1/conferences", body, &c); st != 201 {
			t.Fatalf("create: %d", st)
		}
		return c
	}
	// notices counts the conference's notifications of a sort (invite or
	// point), in all and for one member.
	notices := func(c int64, sort string, member int64) (all, distinct, mine int) {
		t.Helper()
		err := m.App.DB.Read(ctx, func(q store.Querier) error {
			return q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT member_id), COALESCE(SUM(CASE WHEN member_id = $3 THEN 1 ELSE 0 END), 0)
				FROM notifications WHERE link = $1 AND kind = $2 AND event_key LIKE $4`,
				fmt.Sprintf("/hoi-nghi/%d", c), conference.InvitationKind, member, "%:"+sort+":%").Scan(&all, &distinct, &mine)
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	attendees := func(c int64) int {
		t.Helper()
		var l listJSON[struct{}]
		if st := office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/attendees?limit=1", c), nil, &l); st != 200 {
			t.Fatalf("attendees: %d", st)
		}
		return l.Total
	}

	future := create("Hội nghị triển khai nhiệm vụ năm", time.Now().Add(48*time.Hour).UTC().Truncate(time.Second))
	if future.Invited < 2 {
		t.Fatalf("invited %d, want the members of Phú Túc", future.Invited)
	}
	all, distinct, mine := notices(future.ID, "invite", me.ID)
	if got, want := []int{all, distinct, mine}, []int{future.Invited, future.Invited, 1}; !cmp.Equal(got, want) {
		t.Errorf("invitations (all, members, mine): got %v, want %v", got, want)
	}
	// The member's inbox shows it, linking to the conference's page.
	var inbox listJSON[struct {
		Kind  string `json:"kind"`
		Title string `json:"title"`
		Link  string `json:"link"`
	}]
	if st := dv.do("GET", "/api/v1/notifications?limit=50", nil, &inbox); st != 200 {
		t.Fatalf("inbox: %d", st)
	}
	found := 0
	for _, it := range inbox.Items {
		if it.Link == fmt.Sprintf("/hoi-nghi/%d", future.ID) && it.Kind == conference.InvitationKind && strings.Contains(it.Title, "Hội nghị triển khai nhiệm vụ năm") {
			found++
		}
	}
	if found != 1 {
		t.Errorf("the member's inbox holds %d invitations to the conference, want 1: %+v", found, inbox.Items)
	}

	// A member who joins the audience before the start: expected, invited once.
	var joiner struct {
		ID int64 `json:"id"`
	}
	if st := office.do("POST", "/api/v1/members", map[string]any{"unit_id": me.UnitID, "full_name": "Đỗ Văn Mới", "gender": "male",
		"birth_date": "1990-03-04", "admitted_on": "2020-05-06", "full_on": "2021-05-06"}, &joiner); st != 201 {
		t.Fatalf("create the joiner: %d", st)
	}
	if got, want := attendees(future.ID), future.Invited+1; got != want {
		t.Errorf("attendees after a member joined: got %d, want %d", got, want)
	}
	all, distinct, mine = notices(future.ID, "invite", joiner.ID)
	if got, want := []int{all, distinct, mine}, []int{future.Invited + 1, future.Invited + 1, 1}; !cmp.Equal(got, want) {
		t.Errorf("invitations after a member joined (all, members, the joiner's): got %v, want %v", got, want)
	}
	// Editing the joiner's record again invites nobody twice.
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/members/%d", joiner.ID), map[string]any{"position": "Đảng viên", "version": 1}, nil); st != 200 {
		t.Fatalf("update the joiner: %d", st)
	}
	if all, _, _ = notices(future.ID, "invite", joiner.ID); all != future.Invited+1 {
		t.Errorf("invitations after an edit: got %d, want %d", all, future.Invited+1)
	}

	// Bridge points: each attendee placed at one hears where.
	var points []struct {
		ID       int64 `json:"id"`
		Expected int   `json:"expected"`
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", future.ID),
		[]map[string]any{{"unit_id": phuTuc.ID, "name": "Điểm cầu xã Phú Túc"}}, &points); st != 201 || len(points) != 1 {
		t.Fatalf("bridge points: %d %+v", st, points)
	}
	all, distinct, mine = notices(future.ID, "point", me.ID)
	if got, want := []int{all, distinct, mine}, []int{points[0].Expected, points[0].Expected, 1}; !cmp.Equal(got, want) || all == 0 {
		t.Errorf("point notices (all, members, mine): got %v, want %v", got, want)
	}

	// The record: a conference under way where the member was checked in,
	// the mate absent; the future one upcoming.
	now := create("Hội nghị sơ kết quý", time.Now().Add(-30*time.Minute).UTC().Truncate(time.Second))
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", now.ID),
		[]map[string]any{{"unit_id": phuTuc.ID, "name": "Phú Túc"}}, &points); st != 201 {
		t.Fatalf("points of the second conference: %d", st)
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", now.ID), map[string]any{"member_id": me.ID, "bridge_point_id": points[0].ID}, nil); st != 201 {
		t.Fatalf("check-in: %d", st)
	}
	type historyJSON = listJSON[struct {
		ConferenceID int64  `json:"conference_id"`
		Status       string `json:"status"`
	}]
	history := func(c *client, member int64) (int, map[int64]string) {
		t.Helper()
		var h historyJSON
		st := c.do("GET", fmt.Sprintf("/api/v1/members/%d/conferences", member), nil, &h)
		got := map[int64]string{}
		for _, it := range h.Items {
			if it.ConferenceID == future.ID || it.ConferenceID == now.ID {
				got[it.ConferenceID] = it.Status
			}
		}
		return st, got
	}
	cases := []struct {
		name   string
		c      *client
		member int64
		status int
		want   map[int64]string
	}{
		{"the member's own", dv, me.ID, 200, map[int64]string{future.ID: "upcoming", now.ID: "present"}},
		{"the office reads the mate's", office, mate.ID, 200, map[int64]string{future.ID: "upcoming", now.ID: "absent"}},
		{"a member reads a mate's", dv, mate.ID, 404, map[int64]string{}},
	}
	for _, tc := range cases {
		st, got := history(tc.c, tc.member)
		if st != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, st, tc.status)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	// Rescheduled: every attendee hears it once; the same times again tell
	// nobody. A stale version changes nothing.
	expected := attendees(future.ID)
	moved := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	if st := office.do("PATCH", fmt.Sprintf("/api/v1/conferences/%d", future.ID), map[string]any{"starts_at": moved, "version": 7}, nil); st != 409 {
		t.Errorf("reschedule with a stale version: %d, want 409", st)
	}
	for i := 0; i < 2; i++ {
		var c struct {
			StartsAt time.Time `json:"starts_at"`
		}
		if st := office.do("PATCH", fmt.Sprintf("/api/v1/conferences/%d", future.ID), map[string]any{"starts_at": moved}, &c); st != 200 || !c.StartsAt.Equal(moved) {
			t.Fatalf("reschedule: %d %v", st, c.StartsAt)
		}
	}
	if st := dv.do("PATCH", fmt.Sprintf("/api/v1/conferences/%d", future.ID), map[string]any{"starts_at": moved}, nil); st != 404 {
		t.Errorf("an invited member reschedules: %d, want 404", st)
	}
	all, distinct, mine = notices(future.ID, "moved", me.ID)
	if got, want := []int{all, distinct, mine}, []int{expected, expected, 1}; !cmp.Equal(got, want) {
		t.Errorf("reschedule notices (all, members, mine): got %v, want %v", got, want)
	}
	// Called off: every attendee hears it once; no check-in, no second
	// cancellation, and the record says so.
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/cancel", future.ID), map[string]any{"reason": "Trùng lịch tiếp xúc cử tri"}, nil); st != 200 {
		t.Fatalf("cancel: %d", st)
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/cancel", future.ID), map[string]any{}, nil); st != 409 {
		t.Errorf("cancel twice: %d, want 409", st)
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/cancel", now.ID), map[string]any{}, nil); st != 409 {
		t.Errorf("cancel a conference under way: %d, want 409", st)
	}
	all, distinct, mine = notices(future.ID, "cancelled", me.ID)
	if got, want := []int{all, distinct, mine}, []int{expected, expected, 1}; !cmp.Equal(got, want) {
		t.Errorf("cancellation notices (all, members, mine): got %v, want %v", got, want)
	}
	var fp listJSON[struct {
		ID int64 `json:"id"`
	}]
	office.do("GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", future.ID), nil, &fp)
	if len(fp.Items) != 1 {
		t.Fatalf("points of the cancelled conference: %+v", fp)
	}
	if st := office.do("POST", fmt.Sprintf("/api/v1/conferences/%d/checkins", future.ID), map[string]any{"member_id": me.ID, "bridge_point_id": fp.Items[0].ID}, nil); st != 409 {
		t.Errorf("check-in at a cancelled conference: %d, want 409", st)
	}
	if _, got := history(dv, me.ID); got[future.ID] != "cancelled" {
		t.Errorf("the record of a cancelled conference: %q, want cancelled", got[future.ID])
	}

	// The lists say where each conference stands: the office's and the
	// member's, in the API and on the pages (the handbook's home too).
	for _, who := range []*client{office, dv} {
		var l listJSON[struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		}]
		if st := who.do("GET", "/api/v1/conferences?limit=100", nil, &l); st != 200 {
			t.Fatalf("list: %d", st)
		}
		got := map[int64]string{}
		for _, c := range l.Items {
			if c.ID == future.ID || c.ID == now.ID {
				got[c.ID] = c.State
			}
		}
		if d := cmp.Diff(map[int64]string{future.ID: "cancelled", now.ID: "under_way"}, got); d != "" {
			t.Errorf("states in the list (-want +got):\n%s", d)
		}
	}
	for _, p := range []struct{ user, path string }{{"vanphong", "/hoi-nghi"}, {"dangvien", "/hoi-nghi"}, {"dangvien", "/so-tay"}} {
		page := m.uiSignIn(t, p.user).get(p.path)
		for _, want := range []string{
			fmt.Sprintf(`href="/hoi-nghi/%d">Hội nghị triển khai nhiệm vụ năm</a> <span class="badge cs-cancelled">Đã hủy</span>`, future.ID),
			fmt.Sprintf(`href="/hoi-nghi/%d">Hội nghị sơ kết quý</a> <span class="badge cs-under_way">Đang diễn ra</span>`, now.ID),
		} {
			if page.Status != 200 || !strings.Contains(page.Body, want) {
				t.Errorf("%s for %s (%d) lacks %q", p.path, p.user, page.Status, want)
			}
		}
	}

	// The member's page shows them too.
	page := m.uiSignIn(t, "dangvien").get(fmt.Sprintf("/dang-vien/%d", me.ID))
	for _, want := range []string{"Hội nghị được triệu tập", fmt.Sprintf(`href="/hoi-nghi/%d"`, now.ID), "Hội nghị sơ kết quý", "Có mặt", "Đã hủy"} {
		if page.Status != 200 || !strings.Contains(page.Body, want) {
			t.Errorf("the member page (%d) lacks %q", page.Status, want)
		}
	}
}

// TestConferenceHostPicker: the bridge-point form offers, for each unit,
// the accounts with a role on it, and the chosen one hosts the point; an
// account the form did not offer is not taken.
func TestConferenceHostPicker(t *testing.T) {
	m := parallelDemo(t)
	api, office := m.signIn(t, "vanphong"), m.uiSignIn(t, "vanphong")
	district, phuTuc := phuTucUnits(t, m)
	danguy := demoAccount(t, m, "danguy.phutuc")
	dangvien := demoAccount(t, m, "dangvien")
	var c struct {
		ID int64 `json:"id"`
	}
	body := map[string]any{"title": "Hội nghị chọn người phụ trách", "starts_at": time.Now().Add(24 * time.Hour).UTC(), "host_unit_id": district.ID,
		"audience": map[string]any{"unit_id": district.ID}}
	if st := api.do("POST", "/api/v1/conferences", body, &c); st != 201 {
		t.Fatalf("create: %d", st)
	}
	page := office.get(fmt.Sprintf("/hoi-nghi/%d", c.ID))
	for _, want := range []string{fmt.Sprintf(`name="host-%d"`, phuTuc.ID), fmt.Sprintf(`<option value="%d">danguy.phutuc`, danguy.ID)} {
		if page.Status != 200 || !strings.Contains(page.Body, want) {
			t.Fatalf("the form (%d) lacks %q", page.Status, want)
		}
	}
	if strings.Contains(page.Body, fmt.Sprintf(`<option value="%d">`, dangvien.ID)) {
		t.Errorf("the form offers dangvien, who holds no role")
	}
	hosts := func() map[int64]int64 {
		t.Helper()
		var l listJSON[struct {
			UnitID        int64  `json:"unit_id"`
			HostAccountID *int64 `json:"host_account_id"`
		}]
		if st := api.do("GET", fmt.Sprintf("/api/v1/conferences/%d/bridge-points", c.ID), nil, &l); st != 200 {
			t.Fatalf("points: %d", st)
		}
		got := map[int64]int64{}
		for _, p := range l.Items {
			got[p.UnitID] = 0
			if p.HostAccountID != nil {
				got[p.UnitID] = *p.HostAccountID
			}
		}
		return got
	}
	a := office.post(fmt.Sprintf("/hoi-nghi/%d/diem-cau", c.ID), url.Values{"unit": {fmt.Sprint(phuTuc.ID), fmt.Sprint(district.ID)},
		fmt.Sprintf("host-%d", phuTuc.ID): {fmt.Sprint(danguy.ID)}, fmt.Sprintf("host-%d", district.ID): {fmt.Sprint(dangvien.ID)}})
	if a.Status != 303 {
		t.Fatalf("add points: %d", a.Status)
	}
	if d := cmp.Diff(map[int64]int64{phuTuc.ID: danguy.ID, district.ID: 0}, hosts()); d != "" {
		t.Errorf("hosts (-want +got):\n%s", d)
	}

	// Reschedule and call off from the page.
	later := time.Now().Add(72 * time.Hour).In(vietnam(t))
	path := fmt.Sprintf("/hoi-nghi/%d", c.ID)
	if a := office.post(path+"/lich/doi-lich", url.Values{"date": {"2001-01-01"}, "start": {"08:00"}}); a.Status != 422 || !strings.Contains(a.Body, "Thời gian mới phải ở tương lai") {
		t.Errorf("a past date: %d, want 422 with the Vietnamese message", a.Status)
	}
	if a := office.post(path+"/lich/doi-lich", url.Values{"date": {later.Format("2006-01-02")}, "start": {later.Format("15:04")}}); a.Status != 303 {
		t.Fatalf("reschedule: %d", a.Status)
	}
	var got struct {
		StartsAt time.Time `json:"starts_at"`
	}
	api.do("GET", fmt.Sprintf("/api/v1/conferences/%d", c.ID), nil, &got)
	if want := later.Truncate(time.Minute); !got.StartsAt.Equal(want) {
		t.Errorf("moved to %v, want %v", got.StartsAt, want)
	}
	if a := office.post(path+"/lich/huy", url.Values{"reason": {"Bão số 3"}}); a.Status != 303 {
		t.Fatalf("cancel: %d", a.Status)
	}
	if p := office.get(path); !strings.Contains(p.Body, "Hội nghị đã bị hủy.") || !strings.Contains(p.Body, "Bão số 3") || strings.Contains(p.Body, "/lich/huy") {
		t.Errorf("the page of a cancelled conference (%d) should say so and offer no change", p.Status)
	}
}
