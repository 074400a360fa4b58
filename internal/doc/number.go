package doc

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/viet"
)

// TypeInfo describes one document type: its code (as stored and sent in
// JSON), its abbreviation as printed in a number and symbol, and its name.
type TypeInfo struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Name  string `json:"name"`
}

// Types lists the document types (Hướng dẫn 36-HD/VPTW). Codes are ASCII;
// labels carry Đ where the party writes it (QĐ, QĐi, ĐA).
var Types = []TypeInfo{
	{"CT", "CT", "Chỉ thị"},
	{"NQ", "NQ", "Nghị quyết"},
	{"KH", "KH", "Kế hoạch"},
	{"HD", "HD", "Hướng dẫn"},
	{"TB", "TB", "Thông báo"},
	{"KL", "KL", "Kết luận"},
	{"BC", "BC", "Báo cáo"},
	{"QD", "QĐ", "Quyết định"},
	{"QDi", "QĐi", "Quy định"},
	{"CV", "CV", "Công văn"},
	{"CTr", "CTr", "Chương trình"},
	{"TTr", "TTr", "Tờ trình"},
	{"DA", "ĐA", "Đề án"},
}

// typeByFold maps the folded abbreviation ("qd", "qdi", "ctr") to its type.
var typeByFold = func() map[string]TypeInfo {
	m := map[string]TypeInfo{}
	for _, t := range Types {
		m[strings.ToLower(t.Code)] = t
	}
	return m
}()

// LookupType finds a type by its code or its printed label, in any case,
// with or without Đ ("QD", "QĐ", "qđ", "QDi", "qđi").
func LookupType(s string) (TypeInfo, bool) {
	t, ok := typeByFold[viet.Fold(strings.TrimSpace(s))]
	return t, ok
}

// Label returns the printed abbreviation of a type code ("QD" → "QĐ").
func Label(code string) string {
	if t, ok := LookupType(code); ok {
		return t.Label
	}
	return code
}

// issuerWithD lists issuer codes written with Đ, so that "DU" typed on a
// keyboard without Vietnamese becomes the "ĐU" (Đảng ủy) printed on paper.
var issuerWithD = map[string]string{"DU": "ĐU", "DUK": "ĐUK"}

// Number is a parsed number and symbol (số và ký hiệu), e.g. 24-CT/TU:
// a sequence number, a type code and an issuer code.
type Number struct {
	Seq    int    `json:"seq"`
	Type   string `json:"type"`
	Issuer string `json:"issuer"`
}

// String returns the canonical form: the number on at least two digits, the
// printed type, the issuer ("24-CT/TU", "01-QĐ/TW", "4529-QĐ/TU").
func (n Number) String() string {
	return fmt.Sprintf("%02d-%s/%s", n.Seq, Label(n.Type), n.Issuer)
}

// NumberError says why a number and symbol was refused.
type NumberError struct {
	Input  string
	Reason string
	// Key names the reason's message ("doc.number_empty"); Args follow
	// the input in its arguments.
	Key  string
	Args []any
}

func (e *NumberError) Error() string {
	return fmt.Sprintf("%q is not a number and symbol like 24-CT/TU: %s", e.Input, e.Reason)
}

// MessageKey gives the pages the key of the message (apperr.Keyer): the
// catalogue text holds the whole sentence, the input first.
func (e *NumberError) MessageKey() (string, []any) {
	return e.Key, append([]any{e.Input}, e.Args...)
}

// MaxSeq bounds the sequence number.
const MaxSeq = 999999

// ParseNumber reads a number and symbol and returns it in canonical form.
// It is lenient in what people type: "24-CT/TU", "24/CT-TU", "24 CT TU",
// "24-ct/tu", "24CT/TU", "Số 24-CT/TU", "Số: 24-CT/TU", decomposed Unicode,
// and đ or d in QĐ, QĐi and ĐA. It is strict in what it accepts: a number
// of at least 1, a known type, and an issuer code of upper-case letters
// (A–Z and Đ; parts of a joint issuer are joined with "-").
func ParseNumber(s string) (Number, error) {
	in := s
	bad := func(key, reason string, args ...any) (Number, error) {
		return Number{}, &NumberError{Input: in, Reason: fmt.Sprintf(reason, args...), Key: key, Args: args}
	}
	if len(s) > 120 {
		return bad("doc.number_too_long", "too long")
	}
	toks, ok := numberTokens(viet.NFC(s))
	if !ok {
		return bad("doc.number_characters", "it may hold only letters, digits, spaces and - / : .")
	}
	if len(toks) > 0 {
		if f := viet.Fold(toks[0]); f == "so" || f == "no" {
			toks = toks[1:]
		}
	}
	switch {
	case len(toks) == 0:
		return bad("doc.number_empty", "empty")
	case len(toks) < 3:
		return bad("doc.number_parts_few", "it needs a number, a type and an issuer")
	case len(toks) > 5:
		return bad("doc.number_parts_many", "too many parts")
	}
	digits := viet.Fold(toks[0])
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return bad("doc.number_start", "it must start with the number")
		}
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return bad("doc.number_zero", "the number must be at least 1")
	}
	if len(digits) > 6 {
		return bad("doc.number_large", "the number is too large")
	}
	seq, _ := strconv.Atoi(digits)
	t, ok := typeByFold[viet.Fold(toks[1])]
	if !ok {
		return bad("doc.number_type_unknown", "unknown document type %q", toks[1])
	}
	issuer, err := issuerCode(toks[2:])
	if err != nil {
		return Number{}, err // keyed: what is wrong with the issuer part
	}
	return Number{Seq: seq, Type: t.Code, Issuer: issuer}, nil
}

// NormalizeIssuer checks and normalises an issuer code typed on its own
// ("tu" → "TU", "đu" → "ĐU", "BTCTW-BTGTW").
func NormalizeIssuer(s string) (string, error) {
	toks, ok := numberTokens(viet.NFC(s))
	if !ok {
		return "", apperr.Keyed(apperr.Invalid, "doc.issuer_letters", "the issuer code may hold only the letters A–Z and Đ")
	}
	if len(toks) == 0 {
		return "", apperr.Keyed(apperr.Invalid, "doc.issuer_empty", "the issuer code is empty")
	}
	if len(toks) > 3 {
		return "", apperr.Keyed(apperr.Invalid, "doc.issuer_parts", "the issuer code has too many parts")
	}
	return issuerCode(toks)
}

func issuerCode(parts []string) (string, error) {
	if len(parts) > 3 {
		return "", apperr.Keyed(apperr.Invalid, "doc.issuer_parts", "the issuer code has too many parts")
	}
	out := make([]string, len(parts))
	total := 0
	for i, p := range parts {
		var b strings.Builder
		for _, r := range p {
			switch u := unicode.ToUpper(r); {
			case u >= 'A' && u <= 'Z', u == 'Đ':
				b.WriteRune(u)
			case u == 'Ð': // eth, a common stand-in for Đ
				b.WriteRune('Đ')
			default:
				return "", apperr.Keyed(apperr.Invalid, "doc.issuer_part_letters", "the issuer code %q may hold only the letters A–Z and Đ", p)
			}
			total++
		}
		out[i] = b.String()
		if d, ok := issuerWithD[out[i]]; ok {
			out[i] = d
		}
	}
	if total > 24 {
		return "", apperr.Keyed(apperr.Invalid, "doc.issuer_long", "the issuer code is too long")
	}
	return strings.Join(out, "-"), nil
}

// numberTokens splits s into runs of letters (with their marks) and runs
// of digits: separators are spaces and - / : . , _ and dashes, and a change
// from digits to letters also separates ("24CT" → "24", "CT"). Any other
// character, or a sign before the number ("-3-CT/TU"), makes ok false.
func numberTokens(s string) (toks []string, ok bool) {
	start, kind := -1, 0 // kind 1: digits, 2: letters
	flush := func(i int) {
		if start >= 0 {
			toks = append(toks, s[start:i])
		}
		start, kind = -1, 0
	}
	sign := false
	for i, r := range s {
		k := 0
		switch {
		case unicode.IsDigit(r):
			k = 1
		case unicode.IsLetter(r):
			k = 2
		case unicode.Is(unicode.Mn, r) && kind == 2:
			continue // a combining mark stays with its letter
		case r == '-' || r == '+' || r == '\u2212':
			sign = kind == 0 && len(toks) == 0 || sign && kind == 0
		case unicode.IsSpace(r) || strings.ContainsRune("/:.,_\u2013\u2014", r):
		default:
			return nil, false
		}
		if k == 1 && sign && len(toks) == 0 && start < 0 {
			return nil, false
		}
		if k != 0 {
			sign = false
		}
		if k != kind {
			flush(i)
			if k != 0 {
				start, kind = i, k
			}
		}
		if len(toks) > 8 {
			return toks, true
		}
	}
	flush(len(s))
	return toks, true
}

// SearchForm returns the number as the full-text index holds it: the
// sequence without leading zeros, the folded type and issuer, separated by
// spaces ("24 ct tu", "4529 qd tu").
func (n Number) SearchForm() string {
	return SearchText(strconv.Itoa(n.Seq) + " " + n.Type + " " + n.Issuer)
}
