package cli

import (
	"fmt"
	"net/http"
	"testing"
)

// TestPagesReadInOneTransaction: the pages that gather several lists (the
// handbook's home, a unit's page, its task board, the task tabs) read them
// in one read transaction (readroute.Together), where each list took one
// of its own before (seven for the handbook). The server's background
// work may read meanwhile: the test takes the fewest transactions of
// three requests of each page. (The session's read is a statement outside
// any transaction.)
func TestPagesReadInOneTransaction(t *testing.T) {
	onEachEngine(t, func(t *testing.T, m *Main) {
		office, member := m.signIn(t, "vanphong"), m.signIn(t, "dangvien")
		d := districtUnit(t, m)
		pages := []struct {
			c    *client
			path string
		}{
			{member, "/so-tay"},
			{office, fmt.Sprintf("/don-vi/%d", d.ID)},
			{office, fmt.Sprintf("/don-vi/%d/cong-viec", d.ID)},
			{office, "/cong-viec"},
			{office, "/cong-viec/don-vi"},
		}
		for _, p := range pages {
			fewest := int64(1 << 30)
			for range 3 {
				req, _ := http.NewRequest("GET", p.c.base+p.path, nil)
				before := m.App.DB.ReadTransactions()
				if st, _, body := p.c.roundTrip(req); st != 200 {
					t.Fatalf("GET %s: status %d: %.300s", p.path, st, body)
				}
				fewest = min(fewest, m.App.DB.ReadTransactions()-before)
			}
			t.Logf("GET %s: %d read transactions", p.path, fewest)
			if fewest != 1 {
				t.Errorf("GET %s began %d read transactions, want 1", p.path, fewest)
			}
		}
	})
}
