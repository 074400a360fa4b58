package ui

import (
	"net/http"
	"strconv"

	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// receiptsPage shows, for a unit in an officer's reach, how many of the
// members the document's audience expects there have read its current
// revision: in total, per child unit as a bar chart (SVG drawn here, no
// script), and who has not read it yet, page by page.
type receiptsPage struct {
	view
	Doc   *doc.Document
	R     *doc.Receipts
	Chart rateChart
	// Up is the read-rate page of the unit above, when the officer reaches it.
	Up          string
	Next, First string
}

// rateChart is a horizontal bar chart of read rates, one row per unit: its
// name and figures on one line, the bar below, so that long Vietnamese
// names fit a phone's width. Geometry is in the SVG's own units.
type rateChart struct {
	Width, Height int
	Rows          []rateRow
}

type rateRow struct {
	UnitID         int64
	Name           string
	Read, Expected int
	Rate           *float64
	// Y is the top of the row; TextY the baseline of its label, BarY the
	// top of its bar; Fill the bar's length.
	Y, TextY, BarY int
	Fill           float64
}

// Chart geometry.
const (
	chartWidth = 320
	rowHeight  = 34
	barHeight  = 10
)

func newRateChart(rates []doc.UnitRate) rateChart {
	c := rateChart{Width: chartWidth, Height: max(1, len(rates)*rowHeight)}
	for i, u := range rates {
		y := i * rowHeight
		row := rateRow{UnitID: u.UnitID, Name: u.Name, Read: u.Read, Expected: u.Expected, Rate: u.Rate, Y: y, TextY: y + 13, BarY: y + 18}
		if u.Rate != nil {
			row.Fill = float64(int(*u.Rate*chartWidth*10+0.5)) / 10
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

func (s *Handler) uiReceipts(w http.ResponseWriter, r *http.Request) error {
	id, unit, err := httpx.PathIDAndUnit(r)
	if err != nil {
		return err
	}
	cursor := r.URL.Query().Get("cursor")
	rec, err := s.Docs.Receipts(r.Context(), httpx.ActorFrom(r), id, doc.ReceiptsInput{UnitID: unit, Limit: 50, Cursor: cursor})
	if err != nil {
		return err
	}
	d, err := s.docForReceipts(r, id)
	if err != nil {
		return err
	}
	p := &receiptsPage{Doc: d, R: rec, Chart: newRateChart(rec.Children)}
	base := "/van-ban/" + strconv.FormatInt(id, 10) + "/da-doc"
	at := func(unit int64, cursor string) string {
		return withQuery(base, "unit", idValue(unit), "cursor", cursor)
	}
	p.Next, p.First = moreLinks(rec.NotRead.NextCursor, cursor, func(c string) string { return at(unit, c) })
	d.Audience = rec.Audience
	if rec.Up != 0 {
		p.Up = at(rec.Up, "")
	}
	return s.show(w, r, "receipts", p, nil)
}

// docForReceipts returns the document's id, title and current version
// from its revisions: Get would record a receipt, and an officer looking
// at the figures has not read the document.
func (s *Handler) docForReceipts(r *http.Request, id int64) (*doc.Document, error) {
	revs, err := s.Docs.Revisions(r.Context(), httpx.ActorFrom(r), id)
	if err != nil {
		return nil, err
	}
	d := &doc.Document{ID: id}
	if len(revs) > 0 {
		d.Title, d.Version = revs[0].Title, revs[0].Version
	}
	return d, nil
}
