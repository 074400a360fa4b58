package doc

import (
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/auth"
)

// Who may see read receipts, in one place for the API, the pages and the
// links to them: officers whose role covers the unit (Officers), for that
// unit's subtree; members never, not even of their own cell.

// MaySeeReceipts reports whether the actor may see the read rates and the
// readers of the unit at path (Service.Receipts answers "not found" to
// anyone else).
func MaySeeReceipts(actor *auth.Actor, path string) bool {
	return actor.Can(path, Officers)
}

// ReceiptsUnit is the unit whose read rates of a document for audience a
// the actor sees first: the audience unit (0, Service.Receipts' default)
// when an officer's role covers it, else the unit of their first officer
// role inside the audience. ok is false for those who see no rates of it.
func ReceiptsUnit(actor *auth.Actor, a Audience) (unit int64, ok bool) {
	if MaySeeReceipts(actor, a.Path) {
		return 0, true
	}
	for _, g := range actor.Grants {
		if isOfficer(g.Role) && strings.HasPrefix(g.UnitPath, a.Path) {
			return g.UnitID, true
		}
	}
	return 0, false
}

// parentPath is the path of the parent of the unit id at path ("/1/2/"
// for unit 7 at "/1/2/7/").
func parentPath(path string, id int64) string {
	return strings.TrimSuffix(path, strconv.FormatInt(id, 10)+"/")
}
