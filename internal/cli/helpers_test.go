package cli

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/org"
)

// Helpers the end-to-end tests share (the older ones live beside their
// first users: startDemo in main_test.go, browserSignIn in
// browser_test.go, …).

// permEntry is one route's policy and probes in the permission matrix
// (permissions_test.go); each area's xPermEntries returns a map of them.
type permEntry = struct {
	policy string
	probes []permProbe
}

// signedIn is the entry of a route for the signed-in, probed by p.
func signedIn(p ...permProbe) permEntry { return permEntry{"signed_in", p} }

// demoDistrict finds Huyện ủy Phú Xuyên, the demo district, under the one
// root, as c sees the tree.
func demoDistrict(t *testing.T, c *client) unitJSON {
	t.Helper()
	var roots listJSON[unitJSON]
	c.do("GET", "/api/v1/units", nil, &roots)
	return unitByName(t, c, roots.Items[0].ID, "Huyện ủy Phú Xuyên")
}

// childrenOf lists the units right under parent, as c sees them.
func childrenOf(c *client, parent int64) []unitJSON {
	var l listJSON[unitJSON]
	c.do("GET", fmt.Sprintf("/api/v1/units?parent=%d", parent), nil, &l)
	return l.Items
}

// districtUnit is the demo district, Huyện ủy Phú Xuyên (HN.PX), as the
// system reads it.
func districtUnit(t *testing.T, m *Main) *org.Unit {
	t.Helper()
	d, err := m.App.Org.Resolve(context.Background(), auth.SystemActor(), "HN.PX")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// myMemberID is the member id of the account c is signed in as.
func myMemberID(c *client) int64 {
	var me struct {
		MemberID int64 `json:"member_id"`
	}
	c.do("GET", "/api/v1/accounts/me", nil, &me)
	return me.MemberID
}

// atOnce calls the functions, n at a time, and returns when all have
// returned. A function that calls t.Run runs its subtest meanwhile: Run may
// be called from several goroutines at once.
func atOnce(n int, fns []func()) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, n)
	for _, fn := range fns {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			fn()
		}()
	}
	wg.Wait()
}
