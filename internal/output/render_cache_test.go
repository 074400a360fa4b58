package output

import (
	"bytes"
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/date"
)

// TestRenderKeepsPapers renders papers that differ from a sample in one
// field each, each twice through Render (the second from the papers kept),
// and checks that both answers are the bytes the writer itself sets for
// that paper: a key blind to the field would hand out another paper's
// bytes.
func TestRenderKeepsPapers(t *testing.T) {
	sample := func() *Document { return twoPages(t) }
	cases := []struct {
		name   string
		f      Format
		change func(d *Document)
	}{
		{"sample", PDF, func(d *Document) {}},
		{"summary", PDF, func(d *Document) { d.Summary += " (sửa đổi)" }},
		{"date", PDF, func(d *Document) { d.Header.Date = date.New(2023, 9, 9) }},
		{"number", PDF, func(d *Document) { d.Header.Number = "25-CT/TU" }},
		{"a run's style", PDF, func(d *Document) { d.Body[0].Runs[0].Style ^= Bold }},
		{"a run's text", PDF, func(d *Document) { d.Body[len(d.Body)-1].Runs[0].Text += "." }},
		{"signer", PDF, func(d *Document) { d.Signature.Name = "Trần Văn Bình" }},
		{"cosigner", PDF, func(d *Document) { d.Cosigner = &Signature{Title: "THƯ KÝ", Name: "Lê Thị Hoa"} }},
		{"recipients", PDF, func(d *Document) { d.Recipients = append(d.Recipients, "Lưu Văn phòng") }},
		{"sample as docx", DOCX, func(d *Document) {}},
		{"summary as docx", DOCX, func(d *Document) { d.Summary += " (sửa đổi)" }},
	}
	seen := map[string]string{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := sample()
			c.change(d)
			var want bytes.Buffer
			write := WritePDF
			if c.f == DOCX {
				write = WriteDOCX
			}
			if err := write(&want, d); err != nil {
				t.Fatal(err)
			}
			if other, ok := seen[want.String()]; ok {
				t.Fatalf("the writer set the same bytes as for %q: the change changes nothing", other)
			}
			seen[want.String()] = c.name
			for _, pass := range []string{"first", "second"} {
				var got bytes.Buffer
				if err := Render(context.Background(), &got, d, c.f); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s Render: got %d bytes, want the writer's %d bytes", pass, got.Len(), want.Len())
				}
			}
		})
	}
}

// TestPaperCacheBounds checks that the papers kept stay within their
// bounds of entries and bytes, that a paper too large is not kept, and
// that what is kept is what was put.
func TestPaperCacheBounds(t *testing.T) {
	c := paperCache{entries: 3, bytes: 10, maxPaper: 5}
	key := func(i int) [32]byte { return [32]byte{byte(i)} }
	for i, size := range []int{4, 4, 2, 5, 3, 1, 1, 1, 6} {
		b := bytes.Repeat([]byte{byte(i)}, size)
		c.put(key(i), b)
		kept, ok := c.get(key(i))
		if got, want := ok, size <= 5; got != want {
			t.Errorf("paper %d of %d bytes: kept %v, want %v", i, size, got, want)
		}
		if ok && !bytes.Equal(kept, b) {
			t.Errorf("paper %d: got %v, want %v", i, kept, b)
		}
		sum := 0
		for _, v := range c.m {
			sum += len(v)
		}
		if got := len(c.m); got > 3 {
			t.Errorf("after paper %d: %d entries, want at most 3", i, got)
		}
		if sum > 10 || sum != c.used {
			t.Errorf("after paper %d: %d bytes kept, counted %d, want at most 10 and equal", i, sum, c.used)
		}
	}
}
