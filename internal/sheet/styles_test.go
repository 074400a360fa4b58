package sheet

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseStyles reads the fonts, the cell formats' number formats and
// fonts, and the custom number formats of a styles.xml; a dxf's font (a
// conditional format) is not a font of the list.
func TestParseStyles(t *testing.T) {
	src := `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
		`<fonts count="2"><font><name val="Times New Roman"/></font><font><sz val="12"/><name val=".VnTime"/></font></fonts>` +
		`<dxfs><dxf><font><name val="VNI-Helve"/></font></dxf></dxfs>` +
		`<cellXfs><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1"/><xf fontId="9"/></cellXfs></styleSheet>`
	lim := &tokenLimitReader{r: strings.NewReader(src), limit: maxTokenBytes}
	d := xml.NewDecoder(lim)
	d.Strict = true
	got, err := parseStyles(&xmlStream{d: d, c: io.NopCloser(nil), lim: lim, part: "xl/styles.xml"})
	if err != nil {
		t.Fatal(err)
	}
	want := &styles{custom: map[int]string{164: "dd/mm/yyyy"}, xfFmt: []int{0, 164, 0}, xfFont: []int{0, 1, 9}, fonts: []string{"Times New Roman", ".VnTime"}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(styles{})); diff != "" {
		t.Errorf("parseStyles (-want +got):\n%s", diff)
	}
}
