package viet

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

// TestTCVN3Table checks the decoder against the code chart of TCVN 5712:1993
// table VN3, typed from the standard in code order (not derived from the
// tables of the package, which are in vowel order).
func TestTCVN3Table(t *testing.T) {
	chart := map[byte]rune{
		0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
		0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ', 0xAD: 'ư', 0xAE: 'đ',
		0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á', 0xB9: 'ạ',
		0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ',
		0xC6: 'ặ', 0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ', 0xCB: 'ậ',
		0xCC: 'è', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é', 0xD1: 'ẹ',
		0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ',
		0xD7: 'ì', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDD: 'í', 0xDE: 'ị',
		0xDF: 'ò', 0xE1: 'ỏ', 0xE2: 'õ', 0xE3: 'ó', 0xE4: 'ọ',
		0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố', 0xE9: 'ộ',
		0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ',
		0xEF: 'ù', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ',
		0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự',
		0xFA: 'ỳ', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ',
	}
	for c := 0x80; c <= 0xFF; c++ {
		want, isLetter := chart[byte(c)]
		l, _, ok := tcvn3Letter(rune(c))
		switch {
		case ok != isLetter:
			t.Errorf("tcvn3Letter(%#x): ok = %v, want %v", c, ok, isLetter)
		case ok && l.rune() != want:
			t.Errorf("tcvn3Letter(%#x) = %q, want %q", c, l.rune(), want)
		}
	}
}

// vniChart gives the VNI spelling of every letter, typed from the VNI
// Windows chart: for each vowel, its six tones (none, huyền, sắc, hỏi, ngã,
// nặng), lower case then upper case.
var vniChart = []struct{ uni, vni string }{
	{"a à á ả ã ạ", "a aø aù aû aõ aï"},
	{"ă ằ ắ ẳ ẵ ặ", "aê aè aé aú aü aë"},
	{"â ầ ấ ẩ ẫ ậ", "aâ aà aá aå aã aä"},
	{"e è é ẻ ẽ ẹ", "e eø eù eû eõ eï"},
	{"ê ề ế ể ễ ệ", "eâ eà eá eå eã eä"},
	{"i ì í ỉ ĩ ị", "i ì í æ ó ò"},
	{"o ò ó ỏ õ ọ", "o oø où oû oõ oï"},
	{"ô ồ ố ổ ỗ ộ", "oâ oà oá oå oã oä"},
	{"ơ ờ ớ ở ỡ ợ", "ô ôø ôù ôû ôõ ôï"},
	{"u ù ú ủ ũ ụ", "u uø uù uû uõ uï"},
	{"ư ừ ứ ử ữ ự", "ö öø öù öû öõ öï"},
	{"y ỳ ý ỷ ỹ ỵ", "y yø yù yû yõ î"},
	{"đ", "ñ"},
	{"A À Á Ả Ã Ạ", "A AØ AÙ AÛ AÕ AÏ"},
	{"Ă Ằ Ắ Ẳ Ẵ Ặ", "AÊ AÈ AÉ AÚ AÜ AË"},
	{"Â Ầ Ấ Ẩ Ẫ Ậ", "AÂ AÀ AÁ AÅ AÃ AÄ"},
	{"E È É Ẻ Ẽ Ẹ", "E EØ EÙ EÛ EÕ EÏ"},
	{"Ê Ề Ế Ể Ễ Ệ", "EÂ EÀ EÁ EÅ EÃ EÄ"},
	{"I Ì Í Ỉ Ĩ Ị", "I Ì Í Æ Ó Ò"},
	{"O Ò Ó Ỏ Õ Ọ", "O OØ OÙ OÛ OÕ OÏ"},
	{"Ô Ồ Ố Ổ Ỗ Ộ", "OÂ OÀ OÁ OÅ OÃ OÄ"},
	{"Ơ Ờ Ớ Ở Ỡ Ợ", "Ô ÔØ ÔÙ ÔÛ ÔÕ ÔÏ"},
	{"U Ù Ú Ủ Ũ Ụ", "U UØ UÙ UÛ UÕ UÏ"},
	{"Ư Ừ Ứ Ử Ữ Ự", "Ö ÖØ ÖÙ ÖÛ ÖÕ ÖÏ"},
	{"Y Ỳ Ý Ỷ Ỹ Ỵ", "Y YØ YÙ YÛ YÕ Î"},
	{"Đ", "Ñ"},
}

func TestVNIChart(t *testing.T) {
	n := 0
	for _, row := range vniChart {
		unis, vnis := strings.Fields(row.uni), strings.Fields(row.vni)
		if len(unis) != len(vnis) {
			t.Fatalf("bad chart row %q", row.uni)
		}
		for i := range unis {
			n++
			if got := EncodeLegacy(unis[i], VNI); got != vnis[i] {
				t.Errorf("EncodeLegacy(%q, VNI) = %q, want %q", unis[i], got, vnis[i])
			}
			if got := DecodeWith(vnis[i], VNI); got != unis[i] && !isASCII(vnis[i]) {
				t.Errorf("DecodeWith(%q, VNI) = %q, want %q", vnis[i], got, unis[i])
			}
		}
	}
	if n != 146 { // 134 letters + 12 plain vowels
		t.Errorf("chart has %d letters, want 146", n)
	}
}

// allLetters returns the 134 non-ASCII Vietnamese letters in a fixed order.
func allLetters(t *testing.T) []rune {
	t.Helper()
	var rs []rune
	for _, up := range []bool{false, true} {
		for v := range numVowels {
			for tone := range numTones {
				if r := (letter{vowel: v, tone: tone, upper: up}).rune(); r >= 0x80 {
					rs = append(rs, r)
				}
			}
		}
	}
	rs = append(rs, 'đ', 'Đ')
	if len(rs) != 134 {
		t.Fatalf("got %d letters, want 134", len(rs))
	}
	return rs
}

func TestLegacyRoundTripAllLetters(t *testing.T) {
	for _, r := range allLetters(t) {
		s := string(r)
		// VNI has a spelling for every letter.
		if got := DecodeWith(EncodeLegacy(s, VNI), VNI); got != s {
			t.Errorf("VNI round trip of %q = %q", s, got)
		}
		// Inside words, in either case, TCVN3 round-trips too.
		word := "ng" + s + "n"
		if unicode.IsUpper(r) {
			word = "NG" + s + "N"
		}
		if got := DecodeWith(EncodeLegacy(word, TCVN3), TCVN3); got != word {
			t.Errorf("TCVN3 round trip of %q = %q", word, got)
		}
		// Alone, an upper-case toned letter comes back in lower case: VN3
		// has no code for it, and one letter says nothing about the case.
		want := s
		if l := letterOf[r]; l.upper && l.tone != toneNone {
			want = string(unicode.ToLower(r))
		}
		if got := DecodeWith(EncodeLegacy(s, TCVN3), TCVN3); got != want {
			t.Errorf("TCVN3 round trip of %q = %q, want %q", s, got, want)
		}
	}
}

// Each letter must have its own code, or decoding would be ambiguous.
func TestLegacyEncodingsAreInjective(t *testing.T) {
	for _, enc := range []Encoding{TCVN3, VNI} {
		seen := map[string]rune{}
		for _, r := range allLetters(t) {
			if enc == TCVN3 && unicode.IsUpper(r) && letterOf[r].tone != toneNone {
				continue // shares the lower-case code, by design
			}
			e := EncodeLegacy(string(r), enc)
			if prev, ok := seen[e]; ok {
				t.Errorf("%s: %q and %q both encode as %q", enc, prev, r, e)
			}
			seen[e] = r
		}
	}
}

// legacySamples holds the same text in Unicode, TCVN3 and VNI, the legacy
// forms typed by hand from the charts so that the encoder and the decoder
// are not only tested against each other. sureTCVN3 / sureVNI tell whether
// DecodeLegacy, which sees one string at a time, can tell the encoding
// apart from Unicode Vietnamese: some legacy strings also read as valid
// Unicode Vietnamese ("Hoàng Minh" is Unicode Hoàng Minh and VNI Hồng Minh).
var legacySamples = []struct {
	uni, tcvn3, vni    string
	sureTCVN3, sureVNI bool
}{
	{"Nguyễn Văn Đăng", "NguyÔn V¨n §¨ng", "Nguyeãn Vaên Ñaêng", true, true},
	{"Phú Xuyên", "Phó Xuyªn", "Phuù Xuyeân", true, true},
	{"Châu Can", "Ch©u Can", "Chaâu Can", true, true},
	{"Đại Thắng", "§¹i Th¾ng", "Ñaïi Thaéng", true, true},
	{"Phượng Dực", "Ph\u00adîng Dùc", "Phöôïng Döïc", true, true},
	{"Tri Thủy", "Tri Thñy", "Tri Thuûy", true, true},
	{"Hồng Minh", "Hång Minh", "Hoàng Minh", true, false},
	{"Nguyễn Thị Hường", "NguyÔn ThÞ H\u00adêng", "Nguyeãn Thò Höôøng", true, true},
	{"Lê Văn Đức", "Lª V¨n §øc", "Leâ Vaên Ñöùc", true, true},
	{"Phạm Quốc Việt", "Ph¹m Quèc ViÖt", "Phaïm Quoác Vieät", true, true},
	{"Trương Mỹ Lệ", "Tr\u00ad¬ng Mü LÖ", "Tröông Myõ Leä", true, true},
	{"Đảng ủy xã Phú Túc", "§¶ng ñy x· Phó Tóc", "Ñaûng uûy xaõ Phuù Tuùc", true, true},
	{"Chi bộ thôn Hạ Thái", "Chi bé th«n H¹ Th¸i", "Chi boä thoân Haï Thaùi", true, true},
	{"Cộng hòa xã hội chủ nghĩa Việt Nam", "Céng hßa x· héi chñ nghÜa ViÖt Nam", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", true, true},
	{"Độc lập - Tự do - Hạnh phúc", "§éc lËp - Tù do - H¹nh phóc", "Ñoäc laäp - Töï do - Haïnh phuùc", true, true},
	{"Trần Thị Ánh Tuyết", "TrÇn ThÞ ¸nh TuyÕt", "Traàn Thò AÙnh Tuyeát", true, true},
	{"Hoàng Thị Ngọc Ẩn", "Hoµng ThÞ Ngäc Èn", "Hoaøng Thò Ngoïc AÅn", true, true},
	{"Vũ Đình Nghĩa", "Vò §×nh NghÜa", "Vuõ Ñình Nghóa", true, true},
	{"Đỗ Xuân Quỳnh", "§ç Xu©n Quúnh", "Ñoã Xuaân Quyønh", true, true},
	{"Bùi Thị Thuỷ", "Bïi ThÞ Thuû", "Buøi Thò Thuyû", true, true},
	{"Lê Trí", "Lª TrÝ", "Leâ Trí", true, true},
	{"Số 15 đường Lý Thường Kiệt, phường Hàng Bài", "Sè 15 ®\u00adêng Lý Th\u00adêng KiÖt, ph\u00adêng Hµng Bµi", "Soá 15 ñöôøng Lyù Thöôøng Kieät, phöôøng Haøng Baøi", true, true},
	{"NGUYỄN VĂN ĐĂNG", "NGUYÔN V¡N §¡NG", "NGUYEÃN VAÊN ÑAÊNG", true, true},
	{"ĐẢNG ỦY XÃ PHÚ TÚC", "§¶NG ñY X· PHó TóC", "ÑAÛNG UÛY XAÕ PHUÙ TUÙC", true, true},
}

func TestEncodeLegacy(t *testing.T) {
	for _, tt := range legacySamples {
		if got := EncodeLegacy(tt.uni, TCVN3); got != tt.tcvn3 {
			t.Errorf("EncodeLegacy(%q, TCVN3) = %+q, want %+q", tt.uni, got, tt.tcvn3)
		}
		if got := EncodeLegacy(tt.uni, VNI); got != tt.vni {
			t.Errorf("EncodeLegacy(%q, VNI) = %q, want %q", tt.uni, got, tt.vni)
		}
		if got := EncodeLegacy(norm.NFD.String(tt.uni), VNI); got != tt.vni {
			t.Errorf("EncodeLegacy(NFD %q, VNI) = %q, want %q", tt.uni, got, tt.vni)
		}
	}
	if got := EncodeLegacy("Nguyễn", None); got != "Nguyễn" {
		t.Errorf("EncodeLegacy(%q, None) = %q, want it unchanged", "Nguyễn", got)
	}
}

func TestDecodeWith(t *testing.T) {
	for _, tt := range legacySamples {
		if got := DecodeWith(tt.tcvn3, TCVN3); got != tt.uni {
			t.Errorf("DecodeWith(%+q, TCVN3) = %q, want %q", tt.tcvn3, got, tt.uni)
		}
		if got := DecodeWith(tt.vni, VNI); got != tt.uni {
			t.Errorf("DecodeWith(%q, VNI) = %q, want %q", tt.vni, got, tt.uni)
		}
	}
}

func TestDecodeWithLeavesNonLegacyAlone(t *testing.T) {
	tests := []struct {
		in  string
		enc Encoding
	}{
		{"Nguyễn Văn Đăng", TCVN3}, // already Unicode (fixed by hand)
		{"Nguyễn Văn Đăng", VNI},
		{"NguyÔn V¨n §¨ng", None},
		{"Nguyen Van Dang", TCVN3},
		{"", VNI},
		{"Ng\xffuy", TCVN3}, // not UTF-8
		{"NguyÔn", "viscii"},
	}
	for _, tt := range tests {
		if got := DecodeWith(tt.in, tt.enc); got != tt.in {
			t.Errorf("DecodeWith(%+q, %q) = %+q, want it unchanged", tt.in, tt.enc, got)
		}
	}
}

// The case of toned letters, which VN3 cannot code in upper case.
func TestDecodeTCVN3Case(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hµ Néi", "Hà Nội"},
		{"Hµ NéI", "HÀ NỘI"}, // the string is in capitals
		{"NGUYÔN", "NGUYỄN"}, // the word is in capitals
		{"NguyÔn", "Nguyễn"},
		{"§¸", "Đá"}, // Title case: one capital proves nothing
		{"Hµ Vò", "Hà Vũ"},
		{"ViÖt NAM", "Việt NAM"},               // one word in capitals, the other not
		{"CéNG HOµ X· HéI", "CỘNG HOÀ XÃ HỘI"}, // as typed with .VnTimeH
		{"®¶ng ñy", "đảng ủy"},                 // .VnTimeH with lower-case codes: lost
		{"Lª ¸nh", "Lê Ánh"},                   // a name: every word starts with a capital
		{"TrÇn ThÞ ¸nh TuyÕt", "Trần Thị Ánh Tuyết"},
		{"§i häc ë tr\u00adêng", "Đi học ở trường"}, // a sentence: ở stays lower case
	}
	for _, tt := range tests {
		if got := DecodeWith(tt.in, TCVN3); got != tt.want {
			t.Errorf("DecodeWith(%q, TCVN3) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeLegacy(t *testing.T) {
	type result struct {
		Out string
		Enc Encoding
	}
	tests := []struct {
		in   string
		want result
	}{
		{"", result{"", None}},
		{"Nguyen Van Dang", result{"Nguyen Van Dang", None}},
		// Unicode Vietnamese, including strings made only of Latin-1
		// letters, which legacy decoding would also turn into Vietnamese.
		{"Nguyễn Văn Đăng", result{"Nguyễn Văn Đăng", None}},
		{norm.NFD.String("Nguyễn Văn Đăng"), result{norm.NFD.String("Nguyễn Văn Đăng"), None}},
		{"Lê Trí", result{"Lê Trí", None}}, // TCVN3 would read Lờ Trớ
		{"Hà", result{"Hà", None}},
		{"Võ Tá Tú", result{"Võ Tá Tú", None}}, // TCVN3: Vừ Tỏ Tỳ
		{"Lê Hoàng", result{"Lê Hoàng", None}}, // VNI: Lê Hồng
		{"Thò", result{"Thò", None}},           // VNI: Thị
		{"Hoà Bình", result{"Hoà Bình", None}}, // VNI: Hồ Bình
		{"Trần Hà Vy", result{"Trần Hà Vy", None}},
		// Western names and words.
		{"Müller", result{"Müller", None}},
		{"José", result{"José", None}},
		{"Café", result{"Café", None}},
		{"Gómez", result{"Gómez", None}},
		{"Señor Muñoz", result{"Señor Muñoz", None}},
		{"São Paulo", result{"São Paulo", None}},
		{"João", result{"João", None}},
		{"Björk", result{"Björk", None}},
		{"Zoë", result{"Zoë", None}},
		{"Raphaël", result{"Raphaël", None}},
		{"Côte d'Ivoire", result{"Côte d'Ivoire", None}},
		{"François", result{"François", None}},
		{"crème brûlée", result{"crème brûlée", None}},
		{"déjà vu", result{"déjà vu", None}},
		{"Zürich", result{"Zürich", None}},
		{"Ærø Øresund Ålesund", result{"Ærø Øresund Ålesund", None}},
		{"Fußball", result{"Fußball", None}},
		{"Inês", result{"Inês", None}},
		{"Só", result{"Só", None}},
		// Symbols that are letters in TCVN3.
		{"© 2024", result{"© 2024", None}},
		{"25°C", result{"25°C", None}},
		{"½ kg", result{"½ kg", None}},
		{"5 µg", result{"5 µg", None}},
		{"§ 3", result{"§ 3", None}},
		{"« Paris »", result{"« Paris »", None}},
		{"Điều 5 ¶ 2", result{"Điều 5 ¶ 2", None}},
		// Legacy text.
		{"NguyÔn V¨n §¨ng", result{"Nguyễn Văn Đăng", TCVN3}},
		{"Nguyeãn Vaên Ñaêng", result{"Nguyễn Văn Đăng", VNI}},
		{"  NguyÔn  V¨n §¨ng ", result{"  Nguyễn  Văn Đăng ", TCVN3}},
		{"Céng hoµ x· héi chñ nghÜa ViÖt Nam – §éc lËp", result{"Cộng hoà xã hội chủ nghĩa Việt Nam – Độc lập", TCVN3}},
		{"Ñaûng boä “Phöôøng 1”", result{"Đảng bộ “Phường 1”", VNI}},
		{"Nguyeãn Thò Minh Khai", result{"Nguyễn Thị Minh Khai", VNI}},
		{"Leâ Hoàng Phong", result{"Lê Hồng Phong", VNI}},
		{"Xoâ Vieát Ngheä Tónh", result{"Xô Viết Nghệ Tĩnh", VNI}},
		{"Lª TrÝ", result{"Lê Trí", TCVN3}}, // ª is no letter of any word
		{"Leâ", result{"Lê", VNI}},          // no Western word has e + â
		{"Loøng", result{"Lòng", VNI}},      // nor a vowel + ø
		// Ambiguous alone: left as is (DetectLegacy on the column decides).
		{"TrÝ", result{"TrÝ", None}},     // TCVN3 for Trí, but could be Icelandic
		{"Trí", result{"Trí", None}},     // TCVN3 for Trớ
		{"Hoàng", result{"Hoàng", None}}, // VNI for Hồng
	}
	for _, tt := range tests {
		out, enc := DecodeLegacy(tt.in)
		if diff := cmp.Diff(tt.want, result{out, enc}); diff != "" {
			t.Errorf("DecodeLegacy(%+q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// DecodeLegacy recognises every legacy sample that is not also valid
// Unicode Vietnamese.
func TestDecodeLegacySamples(t *testing.T) {
	for _, tt := range legacySamples {
		for _, c := range []struct {
			in   string
			enc  Encoding
			sure bool
		}{{tt.tcvn3, TCVN3, tt.sureTCVN3}, {tt.vni, VNI, tt.sureVNI}} {
			out, enc := DecodeLegacy(c.in)
			want, wantEnc := tt.uni, c.enc
			if !c.sure {
				want, wantEnc = c.in, None
			}
			if out != want || enc != wantEnc {
				t.Errorf("DecodeLegacy(%+q) = %q, %q; want %q, %q", c.in, out, enc, want, wantEnc)
			}
		}
		// And the Unicode text itself stays as it is.
		if out, enc := DecodeLegacy(tt.uni); out != tt.uni || enc != None {
			t.Errorf("DecodeLegacy(%q) = %q, %q; want it unchanged", tt.uni, out, enc)
		}
	}
}

func TestDetectLegacy(t *testing.T) {
	column := func(enc Encoding) []string {
		col := []string{"STT", "", "123"}
		for _, s := range legacySamples {
			switch enc {
			case TCVN3:
				col = append(col, s.tcvn3)
			case VNI:
				col = append(col, s.vni)
			default:
				col = append(col, s.uni)
			}
		}
		return col
	}
	tests := []struct {
		name    string
		samples []string
		want    Encoding
	}{
		{"nil", nil, None},
		{"ascii", []string{"STT", "Ho ten", "Nguyen Van A"}, None},
		{"tcvn3", column(TCVN3), TCVN3},
		{"vni", column(VNI), VNI},
		{"unicode", column(None), None},
		{"unicode, latin-1 letters only", []string{"Lê Trí", "Võ Tá Tú", "Lê Hoàng", "Hà", "Thò", "Hoà"}, None},
		{"western", []string{"Müller", "José", "Gómez", "Björk", "François", "São Paulo", "Zoë"}, None},
		{"tcvn3 with a cell fixed by hand", append(column(TCVN3), "Nguyễn Văn Đăng"), TCVN3},
		{"one ambiguous tcvn3 cell", []string{"Lª TrÝ"}, TCVN3},
		{"ambiguous vni only", []string{"Hoàng Minh", "Thò"}, None},
		{"vni names in capitals", []string{"NGUYEÃN VAÊN ÑAÊNG", "TRAÀN THÒ HOA", "LEÂ VAÊN ÑÖÙC"}, VNI},
		{"mostly unicode", append(column(None), "NguyÔn V¨n §¨ng"), None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectLegacy(tt.samples); got != tt.want {
				t.Errorf("DetectLegacy(%q) = %q, want %q", tt.samples, got, tt.want)
			}
		})
	}
}

// The whole-file path: detect once, decode every cell.
func TestDetectThenDecodeColumn(t *testing.T) {
	for _, enc := range []Encoding{TCVN3, VNI} {
		var in, want []string
		for _, s := range legacySamples {
			want = append(want, s.uni)
			in = append(in, EncodeLegacy(s.uni, enc))
		}
		// A cell already in Unicode stays as it is.
		in, want = append(in, "Nguyễn Văn Đăng"), append(want, "Nguyễn Văn Đăng")
		got := DetectLegacy(in)
		if got != enc {
			t.Fatalf("DetectLegacy = %q, want %q", got, enc)
		}
		var out []string
		for _, s := range in {
			out = append(out, DecodeWith(s, got))
		}
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("%s column decoded (-want +got):\n%s", enc, diff)
		}
	}
}

func TestIsSyllable(t *testing.T) {
	valid := []string{
		"a", "ba", "Nguyễn", "NGUYỄN", "Văn", "Đăng", "đăng", "giữ", "gì", "gìn", "giường",
		"quốc", "Quỳnh", "quyên", "khuya", "nghiêng", "Trương", "Hường", "thuở", "ếch",
		"Thuỷ", "Thủy", "hoà", "hòa", "oai", "Ánh", "ngoặt", "Việt", "tuýp", "boong", "xoong",
		"kéo", "mái", "múa", "ngoài", "khuỷu", "rượu", "người", "mấy", "toán", "hoàng", "quá", "giá",
	}
	invalid := []string{
		"", "Müller", "Mỹller", "Josộ", "Cafộ", "Mađana", "Gĩmez", "Bjưrk", "Cơte",
		"NguyÔn", "nGuyen", "NGuyễn", "Vaên", "Ñaêng", "tôt", "Việt2", "ă", "â", "đ",
		"qa", "Kpă", "ỗo", "aa", "Sóo", "nguyễnn", "thủỷ",
		"Leõ", "maí", "muá", "ngoaì", "ruợu", "ngưòi", "tòan", "hóang",
	}
	for _, w := range valid {
		if !isSyllable(w) {
			t.Errorf("isSyllable(%q) = false, want true", w)
		}
	}
	for _, w := range invalid {
		if isSyllable(w) {
			t.Errorf("isSyllable(%q) = true, want false", w)
		}
	}
}

func ExampleDecodeLegacy() {
	for _, s := range []string{"NguyÔn V¨n §¨ng", "Nguyeãn Vaên Ñaêng", "Müller"} {
		out, enc := DecodeLegacy(s)
		fmt.Printf("%q %q\n", out, enc)
	}
	// Output:
	// "Nguyễn Văn Đăng" "tcvn3"
	// "Nguyễn Văn Đăng" "vni"
	// "Müller" ""
}

func BenchmarkDecodeLegacy(b *testing.B) {
	benchmarks := []struct{ name, in string }{
		{"ascii", "Nguyen Van Dang"},
		{"unicode", "Nguyễn Văn Đăng"},
		{"western", "François Müller"},
		{"tcvn3", "NguyÔn V¨n §¨ng"},
		{"vni", "Nguyeãn Vaên Ñaêng"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = DecodeLegacy(bm.in)
			}
		})
	}
}

func BenchmarkDecodeWith(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = DecodeWith("NguyÔn V¨n §¨ng", TCVN3)
		_ = DecodeWith("Nguyeãn Vaên Ñaêng", VNI)
	}
}
