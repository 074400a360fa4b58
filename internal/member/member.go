// Package member holds member records, their validation and lifecycle, and
// the import and export of member lists.
package member

import (
	"github.com/sotay-vn/sotay/internal/date"
)

// Status is where a member stands in the lifecycle.
type Status string

const (
	StatusProbationary   Status = "probationary"
	StatusFull           Status = "full"
	StatusExempt         Status = "exempt"
	StatusTransferredOut Status = "transferred_out"
	StatusStruckOff      Status = "struck_off"
	StatusExpelled       Status = "expelled"
	StatusDeceased       Status = "deceased"
)

// Statuses lists every status.
var Statuses = []Status{StatusProbationary, StatusFull, StatusExempt, StatusTransferredOut, StatusStruckOff, StatusExpelled, StatusDeceased}

// ActiveStatuses are the statuses of members who belong to a cell today.
var ActiveStatuses = []Status{StatusProbationary, StatusFull, StatusExempt}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Active reports whether a member with this status belongs to a cell.
func (s Status) Active() bool {
	return s == StatusProbationary || s == StatusFull || s == StatusExempt
}

// Gender is male or female, as recorded on the party card.
type Gender string

const (
	Male   Gender = "male"
	Female Gender = "female"
)

// Member is one party member's record.
type Member struct {
	ID          int64     `json:"id"`
	UnitID      int64     `json:"unit_id"`
	UnitName    string    `json:"unit_name,omitempty"`
	FullName    string    `json:"full_name"`
	Gender      Gender    `json:"gender"`
	BirthDate   date.Date `json:"birth_date"`
	CardNo      string    `json:"card_no"`
	BiographyNo string    `json:"biography_no"`
	CitizenID   string    `json:"citizen_id"`
	Phone       string    `json:"phone"`
	Email       string    `json:"email"`
	AdmittedOn  date.Date `json:"admitted_on"`
	FullOn      date.Date `json:"full_on"`
	Status      Status    `json:"status"`
	Position    string    `json:"position"`
	Version     int       `json:"version"`

	// TempUnitID is the cell hosting a temporary transfer, if any.
	TempUnitID *int64 `json:"temp_unit_id,omitempty"`
	// NameFolded and SortKey are derived from FullName by the service.
	NameFolded string `json:"-"`
	SortKey    []byte `json:"-"`
}

// Ref is the member's id and version (its ETag in the API).
func (x *Member) Ref() (id int64, version int) { return x.ID, x.Version }
