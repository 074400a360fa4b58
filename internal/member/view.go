package member

import (
	"encoding/json"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/page"
)

// View is a member record as an actor may see it: the service decides, so
// that no page or API handler has to remember to hide anything. Personal is
// false for a member looking at a cell-mate; then only the public fields
// (id, unit, name, gender, position, status) are filled, every personal one
// (dates, card, biography and citizen numbers, phone, email, version, a
// temporary transfer) is left empty, and the JSON carries the public fields
// only. With Personal true it is the whole record and its JSON is the
// record's.
type View struct {
	Member
	Personal bool `json:"-"`
}

// publicJSON is the JSON of a public view.
type publicJSON struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name,omitempty"`
	FullName string `json:"full_name"`
	Gender   Gender `json:"gender"`
	Position string `json:"position"`
	Status   Status `json:"status"`
}

// MarshalJSON writes the record, or its public fields only.
func (v View) MarshalJSON() ([]byte, error) {
	if v.Personal {
		return json.Marshal(v.Member)
	}
	m := &v.Member
	return json.Marshal(publicJSON{m.ID, m.UnitID, m.UnitName, m.FullName, m.Gender, m.Position, m.Status})
}

// viewOf is m as shown to someone who may (personal) or may not read its
// personal fields. The public view copies the public fields by name, so a
// field added to Member stays private until it is listed here.
func viewOf(m *Member, personal bool) View {
	if personal {
		return View{Member: *m, Personal: true}
	}
	return View{Member: Member{ID: m.ID, UnitID: m.UnitID, UnitName: m.UnitName, FullName: m.FullName,
		Gender: m.Gender, Position: m.Position, Status: m.Status}}
}

// ViewPage is one page of a list as the actor may see it. Personal tells
// whether the actor reads the personal fields of the unit's members (it is
// known even when the page is empty, for the filters a page offers).
type ViewPage struct {
	page.Of[View]
	Personal bool `json:"-"`
}

// MayList reports whether the actor may list the members of the unit at
// path: staff reading records in the subtree, or a member looking at their
// own cell (who then sees public fields only).
func MayList(actor *auth.Actor, path string) bool {
	return actor.Can(path, auth.ReadPersonal) || (actor.MemberUnitPath != "" && actor.MemberUnitPath == path)
}
