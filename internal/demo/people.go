package demo

import (
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

// Reference dates (days since 1970-01-01). The data describe the
// organisation as of 1 November 2026.
var (
	day1960  = daysFrom(1960, 1, 1)
	birthMax = daysFrom(2004, 12, 31)
	// Full members were admitted at least a year before 1 May 2026.
	fullAdmitMax = daysFrom(2025, 4, 30)
	// Probationary members were admitted between 1 May 2025 and 1 June
	// 2026; those admitted before 1 November 2025 have served their 12
	// months and are due for full membership.
	probLo  = daysFrom(2025, 5, 1)
	probMid = daysFrom(2025, 11, 1)
	probHi  = daysFrom(2026, 6, 1)
)

// profile is how members of a cell type look.
type profile struct {
	resid    bool // residential cell (rural, urban): retirees, exempt members
	pMale    float64
	y0, y1   int // birth years of working members (workplace cells)
	oy0, oy1 int // birth years of cell officers
	pEmail   float64
	pPhone   float64
}

var (
	profRural  = profile{resid: true, pMale: 0.60, oy0: 1952, oy1: 1985, pEmail: 0.3, pPhone: 0.93}
	profUrban  = profile{resid: true, pMale: 0.52, oy0: 1952, oy1: 1985, pEmail: 0.45, pPhone: 0.96}
	profSchool = profile{pMale: 0.22, y0: 1966, y1: 2001, oy0: 1966, oy1: 1988, pEmail: 0.75, pPhone: 0.99}
	profAgency = profile{pMale: 0.56, y0: 1966, y1: 2000, oy0: 1966, oy1: 1985, pEmail: 0.75, pPhone: 0.99}
	profPublic = profile{pMale: 0.42, y0: 1966, y1: 2001, oy0: 1966, oy1: 1986, pEmail: 0.7, pPhone: 0.99}
	profEnterp = profile{pMale: 0.52, y0: 1966, y1: 2001, oy0: 1966, oy1: 1988, pEmail: 0.7, pPhone: 0.99}
	profMilit  = profile{pMale: 0.95, y0: 1970, y1: 2004, oy0: 1970, oy1: 1990, pEmail: 0.4, pPhone: 0.99}
	profPolice = profile{pMale: 0.88, y0: 1968, y1: 2003, oy0: 1968, oy1: 1990, pEmail: 0.5, pPhone: 0.99}
)

func profileOf(ct org.CellType) *profile {
	switch ct {
	case "rural":
		return &profRural
	case "urban":
		return &profUrban
	case "school":
		return &profSchool
	case "agency":
		return &profAgency
	case "public_service":
		return &profPublic
	case "enterprise":
		return &profEnterp
	case "military":
		return &profMilit
	case "police":
		return &profPolice
	}
	return &profAgency
}

var (
	tFamily         = newTable(familyNames)
	tMaleMiddleOld  = newTable(maleMiddleOld)
	tMaleMiddle     = newTable(maleMiddleYoung)
	tFemMiddleOld   = newTable(femaleMiddleOld)
	tFemMiddle      = newTable(femaleMiddleYoung)
	tMaleGiven      = newTable(maleGiven)
	tFemGiven       = newTable(femaleGiven)
	emailDomains    = [...]string{"@gmail.com", "@gmail.com", "@gmail.com", "@gmail.com", "@gmail.com", "@gmail.com", "@yahoo.com", "@outlook.com"}
	keyCitizen      = uint64(0xc171_2e11)
	keyBiography    = uint64(0xb10_9a9f)
	minYearOfBirth  = 1935
	oldestWorkingBy = 1956 // members born by then are 70 or over on the reference date
)

// member draws one member of cell u (founded on from) holding pos into m.
// Its strings are appended to g.buf, their bounds recorded in ofs; the
// caller turns the buffer of a whole batch into one string.
//
// long: it stays one function on purpose: it is a sequence of draws from
// one random stream, and the order of the draws is the demo district
// itself. Splitting it into steps would invite reordering them, which
// silently changes every member after the first; read top to bottom, each
// draw is next to the share or range it uses.
func (g *gen) member(m *member.Member, u *org.Unit, p *profile, from int32, pos string, ofs *[7]int) {
	r := g.r
	g.memberID++
	id := g.memberID
	st := member.StatusFull
	var birth, adm int32
	male := r.chance(p.pMale)

	switch {
	case pos != "":
		birth = r.yearsIn(p.oy0, p.oy1)
	case p.resid:
		switch f := r.float(); {
		case f < 0.0015:
			st, birth = member.StatusDeceased, r.yearsIn(minYearOfBirth, 1958)
		case f < 0.0030:
			st, birth = member.StatusStruckOff, r.yearsIn(1960, 2000)
		case f < 0.0050:
			st, birth = member.StatusTransferredOut, r.yearsIn(1960, 2000)
		case f < 0.0052:
			st, birth = member.StatusExpelled, r.yearsIn(1960, 1995)
		case f < 0.0502:
			st = member.StatusProbationary
		case f < 0.0502+0.31: // retirees of 70 and over
			birth = r.yearsIn(minYearOfBirth, oldestWorkingBy)
			if r.chance(0.42) {
				st = member.StatusExempt
			}
		default:
			switch a := r.float(); {
			case a < 0.45:
				birth = r.yearsIn(oldestWorkingBy+1, 1975)
			case a < 0.85:
				birth = r.yearsIn(1976, 1995)
			default:
				birth = r.yearsIn(1996, 2004)
			}
			if r.chance(0.004) { // exempt for illness
				st = member.StatusExempt
			}
		}
	default:
		birth = r.yearsIn(p.y0, p.y1)
		switch f := r.float(); {
		case f < 0.003:
			st = member.StatusTransferredOut
		case f < 0.0035:
			st = member.StatusStruckOff
		case f < 0.0385:
			st = member.StatusProbationary
		case f < 0.0415:
			st = member.StatusExempt
		}
	}

	// Dates are converted to year, month, day once each; anniversaries are
	// computed on those (29 February becomes 1 March, like date.AddYears).
	var by, bm, bd, ay, am, ad int
	if st == member.StatusProbationary {
		if r.chance(0.25) {
			adm = r.dayIn(probLo, probMid-1)
		} else {
			adm = r.dayIn(probMid, probHi)
		}
		adm = max(adm, from)
		ay, am, ad = civil(adm)
		oldest := 28
		if r.chance(0.3) {
			oldest = 40
		}
		birth = r.dayIn(anniversary(ay-oldest, am, ad), min(birthMax, anniversary(ay-19, am, ad)))
		by, bm, bd = civil(birth)
	} else {
		by, bm, bd = civil(birth)
		lower := max(anniversary(by+18, bm, bd), from, day1960)
		adm = anniversary(by+19+r.intn(8)+r.intn(12), bm, bd) + int32(r.intn(365))
		if adm < lower || adm > fullAdmitMax {
			adm = r.dayIn(lower, fullAdmitMax)
		}
		ay, am, ad = civil(adm)
	}

	m.ID, m.UnitID, m.UnitName = id, u.ID, u.Name
	m.Gender = member.Female
	if male {
		m.Gender = member.Male
	}
	m.BirthDate = date.New(by, time.Month(bm), bd)
	m.AdmittedOn = date.New(ay, time.Month(am), ad)
	if st != member.StatusProbationary {
		if am == 2 && ad == 29 && !leap(ay+1) {
			m.FullOn = date.New(ay+1, time.March, 1)
		} else {
			m.FullOn = date.New(ay+1, time.Month(am), ad)
		}
	}
	m.Status, m.Position, m.Version = st, pos, 1

	// Name.
	var fam, mid, giv int
	var tm, tg *table
	fam = tFamily.pick(r)
	switch {
	case male && by < 1975:
		tm, tg = tMaleMiddleOld, tMaleGiven
	case male:
		tm, tg = tMaleMiddle, tMaleGiven
	case by < 1975:
		tm, tg = tFemMiddleOld, tFemGiven
	default:
		tm, tg = tFemMiddle, tFemGiven
	}
	mid, giv = tm.pick(r), tg.pick(r)

	b := g.buf
	ofs[0] = len(b)
	b = append(b, tFamily.names[fam]...)
	b = append(b, ' ')
	b = append(b, tm.names[mid]...)
	b = append(b, ' ')
	b = append(b, tg.names[giv]...)
	ofs[1] = len(b)

	b = appendDigits(b, permute(uint64(id), 10000, g.keyCard), 8)
	ofs[2] = len(b)

	b = appendDigits(b, permute(g.prov.bio, 1000, keyBiography^uint64(g.prov.idx)<<40^g.seed), 6)
	g.prov.bio++
	b = append(b, g.prov.code...)
	ofs[3] = len(b)

	gc := 0
	if by >= 2000 {
		gc = 2
	}
	if !male {
		gc++
	}
	bucket := gc*100 + by%100
	n := g.prov.cids[bucket]
	g.prov.cids[bucket]++
	b = append(b, g.prov.cid...)
	b = append(b, byte('0'+gc), byte('0'+by%100/10), byte('0'+by%10))
	b = appendDigits(b, permute(uint64(n), 1000, mix(keyCitizen^uint64(bucket)<<20^uint64(g.prov.idx)<<32^g.seed)), 6)
	ofs[4] = len(b)

	age := 2026 - by
	pPhone := p.pPhone
	switch {
	case age >= 80:
		pPhone = 0.55
	case age >= 70:
		pPhone = 0.8
	}
	if r.chance(pPhone) {
		ph := permute(uint64(id), 10000, g.keyPhone)
		b = append(b, phonePrefixes[ph/10_000_000]...)
		b = appendDigits(b, ph%10_000_000, 7)
	}
	ofs[5] = len(b)

	pEmail := p.pEmail
	switch {
	case age >= 65:
		pEmail *= 0.08
	case age >= 45:
		pEmail *= 0.4
	}
	if r.chance(pEmail) {
		ff, fm, fg := tFamily.folded[fam], tm.folded[mid], tg.folded[giv]
		switch r.intn(4) {
		case 0: // annguyen85
			b = append(b, fg...)
			b = append(b, ff...)
			b = appendDigits(b, uint64(by%100), 2)
		case 1: // nguyenvanan27
			b = append(b, ff...)
			b = append(b, fm...)
			b = append(b, fg...)
			b = appendDigits(b, uint64(r.intn(100)), 2)
		case 2: // an.nv85
			b = append(b, fg...)
			b = append(b, '.', ff[0], fm[0])
			b = appendDigits(b, uint64(by%100), 2)
		default: // annguyen1985
			b = append(b, fg...)
			b = append(b, ff...)
			b = appendDigits(b, uint64(by), 4)
		}
		b = append(b, emailDomains[r.intn(len(emailDomains))]...)
	}
	ofs[6] = len(b)
	g.buf = b
}

// setStrings points the string fields of m into s, the batch's buffer.
func setStrings(m *member.Member, s string, o *[7]int) {
	m.FullName = s[o[0]:o[1]]
	m.CardNo = s[o[1]:o[2]]
	m.BiographyNo = s[o[2]:o[3]]
	m.CitizenID = s[o[3]:o[4]]
	m.Phone = s[o[4]:o[5]]
	m.Email = s[o[5]:o[6]]
}
