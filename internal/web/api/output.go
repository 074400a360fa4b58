package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/output"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/task"
	"github.com/sotay-vn/sotay/internal/web/httpx"
)

// The printed form (internal/output): a document, and the accountability
// report, as .docx and .pdf in the party format.

// apiDocumentFile answers GET /api/v1/documents/{id}.docx and .pdf: reach
// as for reading the document (out of reach: 404).
func (s *Handler) apiDocumentFile(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		ctx, actor := r.Context(), httpx.ActorFrom(r)
		d, err := s.Docs.Get(ctx, actor, id)
		if err != nil {
			return err
		}
		if d.IsNews() {
			return apperr.Keyed(apperr.NotFound, "output.not_document", "document %[1]d not found", id)
		}
		chain, err := s.Docs.IssuerChain(ctx, d)
		if err != nil {
			return err
		}
		paper, err := output.FromDoc(d, chain)
		if err != nil {
			return err
		}
		title := d.Number
		if t, ok := doc.LookupType(d.Type); ok {
			title = t.Name + " " + d.Number
		}
		return sendPaper(w, r, paper, f, title)
	}
}

// apiAccountabilityFile answers GET /api/v1/accountability.docx and .pdf
// with the same query as the report (unit, from, to): the printed report
// for the standing committee's folder.
func (s *Handler) apiAccountabilityFile(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		in, err := reportInput(r)
		if err != nil {
			return err
		}
		return s.accountabilityPaper(w, r, in, f)
	}
}

// reportInput reads the accountability report's query: unit, from, to.
func reportInput(r *http.Request) (task.ReportInput, error) {
	unit, err := httpx.QueryID(r, "unit")
	if err != nil {
		return task.ReportInput{}, err
	}
	from, err := httpx.QueryDate(r, "from")
	if err != nil {
		return task.ReportInput{}, err
	}
	to, err := httpx.QueryDate(r, "to")
	return task.ReportInput{UnitID: unit, From: from, To: to}, err
}

func (s *Handler) accountabilityPaper(w http.ResponseWriter, r *http.Request, in task.ReportInput, f output.Format) error {
	rep, err := s.Tasks.Accountability(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return s.sendPrinted(w, r, f, rep.UnitID, "Báo cáo trách nhiệm "+rep.From.String()+" "+rep.To.String(), func(chain []doc.UnitRef) (*output.Document, error) {
		return output.Accountability(rep, chain), nil
	})
}

// sendPrinted prints what build makes under the header of unit (its name
// and the unit above it, names only: the caller has checked its reach to
// what is printed) and sends it with sendPaper.
func (s *Handler) sendPrinted(w http.ResponseWriter, r *http.Request, f output.Format, unit int64, title string, build func([]doc.UnitRef) (*output.Document, error)) error {
	chain, err := s.Docs.IssuerChain(r.Context(), &doc.Document{IssuerUnitID: unit})
	if err != nil {
		return err
	}
	paper, err := build(chain)
	if err != nil {
		return err
	}
	return sendPaper(w, r, paper, f, title)
}

// sendPaper renders the paper whole before answering (an error is still
// problem+json) and sends it as an attachment named in ASCII and in UTF-8.
func sendPaper(w http.ResponseWriter, r *http.Request, p *output.Document, f output.Format, title string) error {
	var buf bytes.Buffer
	if err := output.Render(r.Context(), &buf, p, f); err != nil {
		return err
	}
	ext := "." + string(f)
	name := p.Name
	if name == "" {
		name = "giay-to"
	}
	h := w.Header()
	h.Set("Content-Type", f.MediaType())
	h.Set("Content-Disposition", `attachment; filename="`+name+ext+`"; filename*=UTF-8''`+url.PathEscape(title+ext))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

// apiMeetingPaper answers GET /api/v1/meetings/{id}/minutes.docx, .pdf and
// resolution.docx, .pdf: reach as for reading the meeting (out of reach:
// 404); an open meeting answers 409. The number is the meeting's ordinal
// among the cell's closed meetings of its year ("Số 3-BB/CB").
func (s *Handler) apiMeetingPaper(resolution bool, f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		m, n, err := s.Meetings.Printed(r.Context(), httpx.ActorFrom(r), id)
		if err != nil {
			return err
		}
		title := "Biên bản " + strconv.Itoa(n) + "-BB-CB "
		if resolution {
			title = "Nghị quyết " + strconv.Itoa(n) + "-NQ-CB "
		}
		return s.sendPrinted(w, r, f, m.UnitID, title+m.UnitName, func(chain []doc.UnitRef) (*output.Document, error) {
			in := output.MeetingPaper{Meeting: m, Number: n, Chain: chain}
			if resolution {
				return output.Resolution(in)
			}
			return output.Minutes(in), nil
		})
	}
}

// apiComplianceFile answers GET /api/v1/units/{id}/meeting-compliance.docx
// and .pdf with the grid's query (?year=, ?as_of=): reach as for the grid.
func (s *Handler) apiComplianceFile(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.compliance(r)
		if err != nil {
			return err
		}
		return s.sendPrinted(w, r, f, c.UnitID, "Sinh hoạt chi bộ "+strconv.Itoa(c.Year), func(chain []doc.UnitRef) (*output.Document, error) {
			return output.Compliance(c, chain, s.Today()), nil
		})
	}
}

// apiFourGoodReport answers GET /api/v1/frameworks/{id}/report.docx and
// .pdf (?unit=, ?period=): a committee's four-good results in the party
// form, with the same reach as the results.
func (s *Handler) apiFourGoodReport(f output.Format) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, unit, err := httpx.PathIDAndUnit(r)
		if err != nil {
			return err
		}
		ctx, a := r.Context(), httpx.ActorFrom(r)
		res, err := s.FourGood.Results(ctx, a, id, scoring.ResultsInput{UnitID: unit, Period: scoring.Period(r.URL.Query().Get("period"))})
		if err != nil {
			return err
		}
		fw, err := s.FourGood.Framework(ctx, a, id)
		if err != nil {
			return err
		}
		reporter := res.UnitID
		if reporter == 0 {
			reporter = fw.OwnerUnitID
		}
		return s.sendPrinted(w, r, f, reporter, "Chi bộ 4 tốt "+strconv.Itoa(fw.Year), func(chain []doc.UnitRef) (*output.Document, error) {
			return output.FourGood(fw, res, chain, s.Today()), nil
		})
	}
}
