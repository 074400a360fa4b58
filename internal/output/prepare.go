package output

// prepared is a copy of d with every text cleaned for the fonts (clean):
// the header, the summary, the signature, the recipients and the body's
// runs, whoever filled the Document.
func (d *Document) prepared(m *metrics) *Document {
	c := *d
	f := func(s string) string { return clean(m, s) }
	h := &c.Header
	h.Upper, h.Issuer, h.Number, h.Subject, h.Place = f(h.Upper), f(h.Issuer), f(h.Number), f(h.Subject), f(h.Place)
	c.Type, c.Summary = f(c.Type), f(c.Summary)
	c.Signature = Signature{Capacity: f(d.Signature.Capacity), OnBehalf: f(d.Signature.OnBehalf), Title: f(d.Signature.Title), Name: f(d.Signature.Name)}
	if d.Cosigner != nil {
		c.Cosigner = &Signature{Capacity: f(d.Cosigner.Capacity), Title: f(d.Cosigner.Title), Name: f(d.Cosigner.Name)}
	}
	c.Recipients = make([]string, len(d.Recipients))
	for i, r := range d.Recipients {
		c.Recipients[i] = f(r)
	}
	c.Body = cleanBlocks(m, d.Body)
	return &c
}

func cleanBlocks(m *metrics, bs []Block) []Block {
	out := make([]Block, len(bs))
	for i, b := range bs {
		b.Runs = cleanRuns(m, b.Runs)
		if b.Items != nil {
			items := make([][]Block, len(b.Items))
			for j, it := range b.Items {
				items[j] = cleanBlocks(m, it)
			}
			b.Items = items
		}
		if b.Rows != nil {
			rows := make([][][]Run, len(b.Rows))
			for j, row := range b.Rows {
				rows[j] = make([][]Run, len(row))
				for k, cell := range row {
					rows[j][k] = cleanRuns(m, cell)
				}
			}
			b.Rows = rows
		}
		out[i] = b
	}
	return out
}

func cleanRuns(m *metrics, rs []Run) []Run {
	out := make([]Run, len(rs))
	for i, r := range rs {
		if r.Text != "\n" {
			r.Text = clean(m, r.Text)
		}
		out[i] = r
	}
	return out
}
