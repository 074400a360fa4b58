package demo

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/sotay-vn/sotay/internal/date"
)

// rng wraps a PCG with the few cheap draws the generator needs. It calls the
// concrete *rand.PCG (no interface dispatch) and uses multiply-shift ranges,
// whose bias (< n/2^32) is irrelevant for demo data.
type rng struct{ p *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

func (r rng) u32() uint32 { return uint32(r.p.Uint64() >> 32) }

// intn returns a number in [0, n).
func (r rng) intn(n int) int { return int(uint64(r.u32()) * uint64(n) >> 32) }

// between returns a number in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a number in [0, 1).
func (r rng) float() float64 { return float64(r.p.Uint64()>>11) / (1 << 53) }

func (r rng) chance(p float64) bool { return r.float() < p }

// table samples a weighted list in O(1) through a quantised lookup table.
type table struct {
	names  []string
	folded []string // lower-case ASCII, for e-mail addresses
	idx    []uint16
}

const tableSize = 4096

func newTable(ws []wname) *table {
	t := &table{idx: make([]uint16, 0, tableSize)}
	total := 0
	for _, w := range ws {
		total += w.w
	}
	acc := 0
	for i, w := range ws {
		t.names = append(t.names, w.s)
		t.folded = append(t.folded, foldLower(w.s))
		acc += w.w
		for len(t.idx) < acc*tableSize/total {
			t.idx = append(t.idx, uint16(i))
		}
	}
	for len(t.idx) < tableSize {
		t.idx = append(t.idx, uint16(len(ws)-1))
	}
	return t
}

func (t *table) pick(r rng) int { return int(t.idx[r.u32()>>(32-12)]) }

// Days are counted from 1970-01-01 (civil calendar, proleptic Gregorian).

func daysFrom(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

func civil(z int32) (y, m, d int) {
	n := int(z) + 719468
	era := n / 146097
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

func toDate(z int32) date.Date {
	y, m, d := civil(z)
	return date.New(y, time.Month(m), d)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// anniversary is the day of month m, day d in year y, with 29 February
// moved to 1 March in common years (as date.Date.AddYears does).
func anniversary(y, m, d int) int32 {
	if m == 2 && d == 29 && !leap(y) {
		m, d = 3, 1
	}
	return daysFrom(y, m, d)
}

func yearStart(y int) int32 { return daysFrom(y, 1, 1) }
func yearEnd(y int) int32   { return daysFrom(y, 12, 31) }

// dayIn draws a day uniformly in [lo, hi].
func (r rng) dayIn(lo, hi int32) int32 {
	if hi <= lo {
		return lo
	}
	return lo + int32(r.intn(int(hi-lo)+1))
}

// yearsIn draws a day uniformly between 1 January y0 and 31 December y1.
func (r rng) yearsIn(y0, y1 int) int32 { return r.dayIn(yearStart(y0), yearEnd(y1)) }

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// permute is a 3-round Feistel network on [0, half²): a bijection, so
// distinct inputs give distinct outputs. It makes serial numbers (card,
// phone, citizen ID) unique by construction while looking random.
func permute(x, half, key uint64) uint64 {
	l, r := x/half, x%half
	for i := uint64(1); i <= 3; i++ {
		// l + F(r) mod half; F is splitmix64 reduced by multiply-shift
		// rather than division.
		f := mix(r^key^i*0x9e3779b97f4a7c15) >> 32 * half >> 32
		if l += f; l >= half {
			l -= half
		}
		l, r = r, l
	}
	return l*half + r
}

// appendDigits writes v as exactly width decimal digits (leading zeros).
func appendDigits(b []byte, v uint64, width int) []byte {
	n := len(b)
	for i := 0; i < width; i++ {
		b = append(b, '0')
	}
	for i := n + width - 1; i >= n; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// foldMap strips Vietnamese diacritics: every accented vowel to its base
// letter and đ to d.
var foldMap = func() map[rune]rune {
	m := map[rune]rune{}
	for base, vs := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	} {
		for _, v := range vs {
			m[v] = base
			m[unicode.ToUpper(v)] = unicode.ToUpper(base)
		}
	}
	return m
}()

// foldLower returns s without diacritics, spaces or punctuation, in lower case.
func foldLower(s string) string {
	var b strings.Builder
	for _, c := range s {
		if f, ok := foldMap[c]; ok {
			c = f
		}
		c = unicode.ToLower(c)
		if c < 128 && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// foldUpper is foldLower in upper case, for unit codes.
func foldUpper(s string) string { return strings.ToUpper(foldLower(s)) }
