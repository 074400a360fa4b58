// Package org is the organisation tree: committees and cells of any depth,
// with materialised paths and dated history for restructuring.
package org

import (
	"time"

	"github.com/sotay-vn/sotay/internal/date"
)

// Kind is the kind of a unit (see GLOSSARY.md).
type Kind string

const (
	KindProvince     Kind = "province_committee"
	KindDistrict     Kind = "district_committee"
	KindGrassroots   Kind = "grassroots_committee"
	KindSubCommittee Kind = "sub_committee"
	KindCell         Kind = "cell"
)

// Kinds lists every unit kind from the top of the tree down.
var Kinds = []Kind{KindProvince, KindDistrict, KindGrassroots, KindSubCommittee, KindCell}

// CellType classifies cells (loại hình chi bộ).
type CellType string

// CellTypes lists every cell type.
var CellTypes = []CellType{"rural", "urban", "school", "agency", "public_service", "enterprise", "military", "police"}

// Unit is one committee or cell.
type Unit struct {
	ID        int64     `json:"id"`
	ParentID  *int64    `json:"parent_id"`
	Kind      Kind      `json:"kind"`
	CellType  CellType  `json:"cell_type,omitempty"`
	Name      string    `json:"name"`
	Code      string    `json:"code"`
	Path      string    `json:"path"`
	Depth     int       `json:"depth"`
	Version   int       `json:"version"`
	ValidFrom date.Date `json:"valid_from"`
	// DissolvedOn is set once the unit has been merged away or dissolved.
	DissolvedOn date.Date `json:"dissolved_on,omitempty"`
	Children    int       `json:"children"`
	CreatedAt   time.Time `json:"created_at"`
}

// Ref is the unit's id and version (its ETag in the API).
func (x *Unit) Ref() (id int64, version int) { return x.ID, x.Version }
