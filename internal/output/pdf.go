package output

import (
	"io"

	"codeberg.org/go-pdf/fpdf"
)

// WritePDF prints d as a PDF: A4, the fonts embedded (subsets of
// Liberation Serif), the text as laid out by Layout. A body beyond the
// bounds is refused (keyed 4xx); a failure inside the PDF writer is an
// error, never a panic.
func WritePDF(w io.Writer, d *Document) error {
	return rendering("pdf", d, func(m *metrics, d *Document) error {
		pages, err := d.layout(m)
		if err != nil {
			return err
		}
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetAutoPageBreak(false, 0)
		pdf.SetMargins(0, 0, 0)
		pdf.SetCompression(true)
		pdf.SetTitle(pdfTitle(d), true)
		pdf.SetCreator("Sổ tay", true)
		// Fixed dates, and the fonts and other resources written in a fixed
		// order (fpdf walks its maps otherwise): the same paper prints to
		// the same bytes.
		pdf.SetCreationDate(d.Header.Date.Time())
		pdf.SetModificationDate(d.Header.Date.Time())
		pdf.SetCatalogSort(true)
		used := map[Style]bool{}
		for _, p := range pages {
			for _, it := range p.Items {
				if it.Kind == TextItem {
					used[it.Style.face()] = true
				}
			}
		}
		for _, face := range faces {
			if used[face] {
				pdf.AddUTF8FontFromBytes(fontFamily, face.fpdfStyle(), m.files[face])
			}
		}
		pdf.SetLineWidth(0.2)
		for _, p := range pages {
			pdf.AddPage()
			for _, it := range p.Items {
				switch it.Kind {
				case TextItem:
					pdf.SetFont(fontFamily, it.Style.fpdfStyle(), it.Size)
					pdf.Text(it.X, it.Y, it.Text)
				case RuleItem:
					pdf.Line(it.X, it.Y, it.X2, it.Y2)
				}
			}
		}
		if err := pdf.Error(); err != nil {
			return errRender(err.Error())
		}
		return pdf.Output(w)
	})
}

func pdfTitle(d *Document) string {
	t := d.Type
	if d.Header.Number != "" {
		t += " " + d.Header.Number
	}
	if d.Summary != "" {
		t += " — " + d.Summary
	}
	return t
}
