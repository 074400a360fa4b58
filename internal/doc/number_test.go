package doc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestParseNumber(t *testing.T) {
	valid := []struct {
		in, want string
	}{
		{"24-CT/TU", "24-CT/TU"},
		{"24/CT-TU", "24-CT/TU"},
		{"24 CT TU", "24-CT/TU"},
		{"24-ct/tu", "24-CT/TU"},
		{"Số 24-CT/TU", "24-CT/TU"},
		{"số: 24-CT/TU", "24-CT/TU"},
		{"So 24/CT-TU", "24-CT/TU"},
		{"  24 - CT / TU  ", "24-CT/TU"},
		{"24CT/TU", "24-CT/TU"},
		{"4529-QĐ/TU", "4529-QĐ/TU"},
		{"4529-QD/TU", "4529-QĐ/TU"},
		{"4529-qđ/tu", "4529-QĐ/TU"},
		{norm.NFD.String("4529-QĐ/TU"), "4529-QĐ/TU"},
		{norm.NFD.String("Số 4529-Qđ/Tu"), "4529-QĐ/TU"},
		{"121-KH/TU", "121-KH/TU"},
		{"12-HD/BTCTU", "12-HD/BTCTU"},
		{"62-CV/HU", "62-CV/HU"},
		{"1-QĐ/TW", "01-QĐ/TW"},
		{"01-QĐ/TW", "01-QĐ/TW"},
		{"0001-qd/tw", "01-QĐ/TW"},
		{"366-QĐi/TW", "366-QĐi/TW"},
		{"366-QDI/TW", "366-QĐi/TW"},
		{"339-qdi/tw", "339-QĐi/TW"},
		{"05-CTr/TU", "05-CTr/TU"},
		{"5-ctr/tu", "05-CTr/TU"},
		{"07-TTr/HU", "07-TTr/HU"},
		{"03-ĐA/TU", "03-ĐA/TU"},
		{"3-DA/TU", "03-ĐA/TU"},
		{"15-NQ/ĐU", "15-NQ/ĐU"},
		{"15-NQ/đu", "15-NQ/ĐU"},
		{"15-NQ/DU", "15-NQ/ĐU"},
		{"15-NQ/ÐU", "15-NQ/ĐU"}, // eth typed for Đ
		{"21-NQ/TW", "21-NQ/TW"},
		{"8-TB/VPTU", "08-TB/VPTU"},
		{"30-KL/TW", "30-KL/TW"},
		{"2-BC/HU", "02-BC/HU"},
		{"04-HD/BTCTW-BTGTW", "04-HD/BTCTW-BTGTW"},
		{"999999-CV/HU", "999999-CV/HU"},
	}
	for _, c := range valid {
		n, err := ParseNumber(c.in)
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", c.in, err)
			continue
		}
		if got := n.String(); got != c.want {
			t.Errorf("ParseNumber(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	invalid := []string{
		"", "   ", "Số", "24", "24-CT", "CT/TU", "0-CT/TU", "00-CT/TU", "-3-CT/TU",
		"24-XX/TU",         // unknown type
		"24-CT/T1U",        // digit in the issuer
		"24-CT/TỦ",         // a toned letter in the issuer
		"24-CT/TU/HU/QU/X", // too many parts
		"1000000-CT/TU",    // too large
		"24-CT/ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		"CT-24/TU",
		"24-CT/<script>",
		"٢٤-CT/TU", // other digits
		strings.Repeat("9", 200),
	}
	for _, in := range invalid {
		if n, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", in, n)
		}
	}
}

func TestNumberSearchForm(t *testing.T) {
	for in, want := range map[string]string{"24-CT/TU": "24 ct tu", "01-QĐ/TW": "1 qd tw", "15-NQ/ĐU": "15 nq du", "04-HD/BTCTW-BTGTW": "4 hd btctw btgtw"} {
		n, err := ParseNumber(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.SearchForm(); got != want {
			t.Errorf("%s: search form %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeIssuer(t *testing.T) {
	for in, want := range map[string]string{"tu": "TU", " HU ": "HU", "đu": "ĐU", "btctw-btgtw": "BTCTW-BTGTW"} {
		got, err := NormalizeIssuer(in)
		if err != nil || got != want {
			t.Errorf("NormalizeIssuer(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "T1", "TỦ", "a/b/c/d"} {
		if got, err := NormalizeIssuer(in); err == nil {
			t.Errorf("NormalizeIssuer(%q) = %q, want an error", in, got)
		}
	}
}

func TestLookupType(t *testing.T) {
	for in, want := range map[string]string{"QD": "QD", "QĐ": "QD", "qđ": "QD", "QĐi": "QDi", "qdi": "QDi", "ĐA": "DA", "ctr": "CTr", "TTr": "TTr"} {
		ty, ok := LookupType(in)
		if !ok || ty.Code != want {
			t.Errorf("LookupType(%q) = %v, %v; want %s", in, ty, ok, want)
		}
	}
	if _, ok := LookupType("XX"); ok {
		t.Error("LookupType(XX) found a type")
	}
	if Label("QD") != "QĐ" || Label("QDi") != "QĐi" || Label("DA") != "ĐA" || Label("CT") != "CT" {
		t.Error("labels of QD, QDi, DA, CT")
	}
}

// FuzzParseNumber: ParseNumber never panics, and what it accepts is valid
// and canonical: parsing the canonical form gives the same number.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"24-CT/TU", "24/CT-TU", "24 CT TU", "Số 4529-QĐ/TU", norm.NFD.String("4529-qđ/tu"), "01-QĐi/TW",
		"12-HD/BTCTU", "04-HD/BTCTW-BTGTW", "0-CT/TU", "24-CT/TỦ", "٢٤-CT/TU", "24CT TU", "Số", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		if n.Seq < 1 || n.Seq > MaxSeq {
			t.Fatalf("%q: seq %d out of range", s, n.Seq)
		}
		if _, ok := LookupType(n.Type); !ok {
			t.Fatalf("%q: unknown type %q", s, n.Type)
		}
		if n.Issuer == "" || !utf8.ValidString(n.Issuer) {
			t.Fatalf("%q: bad issuer %q", s, n.Issuer)
		}
		for _, r := range n.Issuer {
			if !(r >= 'A' && r <= 'Z' || r == 'Đ' || r == '-') {
				t.Fatalf("%q: issuer %q holds %q", s, n.Issuer, r)
			}
		}
		again, err := ParseNumber(n.String())
		if err != nil || again != n {
			t.Fatalf("%q → %s → %v, %v: not canonical", s, n, again, err)
		}
	})
}

func TestSuggestIssuerCode(t *testing.T) {
	tests := map[string]string{
		"Huyện ủy Phú Xuyên":      "HU",
		"Thành ủy Hà Nội":         "TU",
		"Đảng bộ xã Phú Túc":      "ĐU",
		"Đảng ủy xã Châu Can":     "ĐU",
		"Chi bộ thôn Kim Lân":     "CB",
		"Quận ủy Ba Đình":         "QU",
		"Huyện uỷ Thường Tín":     "HU",
		"Ban Tuyên giáo Huyện ủy": "",
		"":                        "",
	}
	for name, want := range tests {
		if got := SuggestIssuerCode(name); got != want {
			t.Errorf("SuggestIssuerCode(%q) = %q, want %q", name, got, want)
		}
	}
}
