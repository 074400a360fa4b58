package output

import (
	"strings"

	"github.com/sotay-vn/sotay/internal/doc"
)

// FromDoc fills the printed form of a party document: chain is the
// issuing unit after the unit above it (doc.Service.IssuerChain). The
// signer's name is left for the clerk: the handbook does not record who
// signed. The recipients are the document's audience and the archive.
func FromDoc(d *doc.Document, chain []doc.UnitRef) (*Document, error) {
	body, err := Blocks(d.Body)
	if err != nil {
		return nil, err
	}
	out := &Document{Body: body}
	var issuer doc.UnitRef
	if len(chain) > 0 {
		issuer = chain[len(chain)-1]
		out.Header.Issuer = issuer.Name
		if len(chain) > 1 {
			out.Header.Upper = chain[0].Name
		}
	}
	out.Header.Place = PlaceOf(issuer.Name)
	out.Header.Date = d.IssuedOn
	out.Header.Number = d.Number
	typeName := d.TypeLabel
	if t, ok := doc.LookupType(d.Type); ok {
		typeName = t.Name
	}
	if d.Type == "CV" {
		// An official letter: no type line; its subject under the number.
		subject := d.Title
		for _, p := range []string{"Công văn về việc ", "Công văn về ", "Công văn "} {
			if rest, ok := strings.CutPrefix(subject, p); ok && rest != "" {
				subject = rest
				break
			}
		}
		out.Header.Subject = "V/v " + lowerFirst(subject)
	} else {
		out.Type = typeName
		out.Summary = d.Title
	}
	out.Signature = SignatureFor(issuer.Name, d.Type)
	if d.Signer.Deputy {
		out.Signature = out.Signature.Deputy()
	}
	out.Signature.Name = d.Signer.Name
	switch {
	case d.Audience.UnitID == 0 || d.Audience.UnitID == issuer.ID:
		out.Recipients = []string{"Các tổ chức đảng trực thuộc"}
	default:
		out.Recipients = []string{d.Audience.UnitName}
	}
	out.Recipients = append(out.Recipients, "Lưu Văn thư")
	out.Name = FileName(d.Number, "van-ban")
	return out, nil
}

// lowerFirst writes "Công văn về việc…" as "công văn về việc…" after "V/v"
// (a proper name after it keeps its capital only when the clerk wrote it
// so; the first word is lowered).
func lowerFirst(s string) string {
	first, rest, _ := strings.Cut(s, " ")
	if first == "" {
		return s
	}
	if strings.ToUpper(first) == first && len([]rune(first)) > 1 {
		// An abbreviation ("UBND"): kept.
		return s
	}
	if rest == "" {
		return strings.ToLower(first)
	}
	return strings.ToLower(first) + " " + rest
}
