package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/scoring"
	"github.com/sotay-vn/sotay/internal/store"
)

// The four-good cell model in the permission matrix. Objects: a framework
// of the district (seen from the Phú Túc cell, which every demo role
// reaches) and one of the other district; a scoresheet of the Phú Túc
// cell, of the Châu Can cell and of the other district's cell, all at the
// self stage with nothing scored. Each write probe is refused after the
// object is reached: an empty name, a year out of range, an unknown
// period or criterion, an upload without a file, a submission with
// nothing scored, a criterion without a code, the removal of the only
// criterion (422).

// permFGCell and permFGCommune are the Phú Túc cell and commune the
// registration and report probes name.
var permFGCell, permFGCommune int64

var (
	permFGOwner     = []string{"admin", "vanphong", "btv"}
	permFGCommittee = []string{"admin", "vanphong", "btv", "danguy.phutuc"}
)

func fourGoodPermFixtures(t *testing.T, m *Main, fx *permFixtures) {
	t.Helper()
	ctx, sys := context.Background(), auth.SystemActor()
	units := fx.objects["unit"]
	var frameworks []permObject
	var sheets []permObject
	ownerOf := func(cell int64) int64 {
		c, err := m.App.Org.Get(ctx, sys, cell)
		if err != nil {
			t.Fatal(err)
		}
		p, err := m.App.Org.Get(ctx, sys, *c.ParentID)
		if err != nil {
			t.Fatal(err)
		}
		return *p.ParentID
	}
	make := func(owner int64, name string) int64 {
		in := scoring.FrameworkInput{Name: name, Year: 2030, OwnerUnitID: owner, RegistrationDeadline: date.MustParse("2030-12-31"),
			Criteria: []scoring.CriterionInput{{Code: "1", Title: "Lãnh đạo", MaxPoints: ptrF(100)}},
			Bands:    []scoring.BandInput{{Level: "Chi bộ 4 tốt", MinPoints: 90}}}
		f, err := m.App.FourGood.Create(ctx, sys, in)
		if err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	district := make(ownerOf(units[0].id), "Khung thử quyền")
	foreign := make(ownerOf(units[2].id), "Khung thử quyền (huyện khác)")
	frameworks = append(frameworks, permObject{"district framework", district, units[0].path}, permObject{"other district's framework", foreign, units[2].path})
	for i, u := range units {
		f := district
		if i == 2 {
			f = foreign
		}
		sh, err := m.App.FourGood.Register(ctx, sys, f, scoring.RegisterInput{UnitID: u.id})
		if err != nil {
			t.Fatal(err)
		}
		sheets = append(sheets, permObject{u.name + " scoresheet", sh.ID, u.path})
	}
	// A file on each sheet ({aid}), and one added at the review stage,
	// locked while the sheet is back at the self stage ({lockedaid}).
	fx.fgFile, fx.fgLocked = map[int64]int64{}, map[int64]int64{}
	for _, sh := range sheets {
		at, err := m.App.FourGood.Attach(ctx, sys, sh.id, "1", strings.NewReader("%PDF-1.4\n% minh chứng\n"), "bien-ban.pdf")
		if err != nil {
			t.Fatal(err)
		}
		fx.fgFile[sh.id] = at.ID
		var locked int64
		if err := m.App.DB.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO fourgood_attachments (sheet_id, criterion, stage, name, media_type, size, sha256, created_at)
				SELECT sheet_id, criterion, 'review', name, media_type, size, sha256, created_at FROM fourgood_attachments WHERE id = $1`, at.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := m.App.DB.Reader().QueryRowContext(ctx, `SELECT MAX(id) FROM fourgood_attachments WHERE sheet_id = $1`, sh.id).Scan(&locked); err != nil {
			t.Fatal(err)
		}
		fx.fgLocked[sh.id] = locked
	}
	fx.objects["framework"], fx.objects["scoresheet"] = frameworks, sheets
	permFGCell = units[0].id
	c, err := m.App.Org.Get(ctx, sys, permFGCell)
	if err != nil {
		t.Fatal(err)
	}
	permFGCommune = *c.ParentID
}

func ptrF(v float64) *float64 { return &v }

func fourGoodPermEntries() map[string]permEntry {
	one := signedIn
	multipart := "multipart/form-data; boundary=" + permBoundary
	return map[string]permEntry{
		"POST /api/v1/frameworks": one(permProbe{method: "POST", path: "/api/v1/frameworks", obj: "unit", ctype: jsonType,
			body: `{"owner_unit_id":{id},"name":""}`, allowed: allow(permFGOwner, 422)}),
		"GET /api/v1/frameworks": one(permProbe{method: "GET", path: "/api/v1/frameworks", allowed: everyone(200)},
			permProbe{method: "GET", path: "/api/v1/frameworks?unit={id}", obj: "unit", allowed: everyone(200)}),
		"GET /api/v1/frameworks/{id}": one(permProbe{method: "GET", path: "/api/v1/frameworks/{id}", obj: "framework", allowed: everyone(200)}),
		"PUT /api/v1/frameworks/{id}": one(permProbe{method: "PUT", path: "/api/v1/frameworks/{id}", obj: "framework", ctype: jsonType,
			body: `{"name":""}`, allowed: allow(permFGOwner, 422)}),
		"POST /api/v1/frameworks/{id}/copy": one(permProbe{method: "POST", path: "/api/v1/frameworks/{id}/copy", obj: "framework", ctype: jsonType,
			body: `{"year":1}`, allowed: allow(permFGOwner, 422)}),
		"GET /api/v1/frameworks/{id}/criteria.xlsx": one(permProbe{method: "GET", path: "/api/v1/frameworks/{id}/criteria.xlsx", obj: "framework", allowed: everyone(200)}),
		"PUT /api/v1/frameworks/{id}/criteria.xlsx": one(permProbe{method: "PUT", path: "/api/v1/frameworks/{id}/criteria.xlsx", obj: "framework",
			ctype: multipart, body: permMultipart, allowed: allow(permFGOwner, 422)}),
		"POST /api/v1/frameworks/{id}/registrations": one(permProbe{method: "POST", path: "/api/v1/frameworks/{id}/registrations", obj: "framework", ctype: jsonType,
			body: fmt.Sprintf(`{"unit_id":%d,"period":"bogus"}`, permFGCell), allowed: allow(permReadPersonal, 422)}),
		"GET /api/v1/frameworks/{id}/results":     one(permProbe{method: "GET", path: "/api/v1/frameworks/{id}/results", obj: "framework", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/frameworks/{id}/report.docx": one(permProbe{method: "GET", path: "/api/v1/frameworks/{id}/report.docx", obj: "framework", allowed: allow(permReadPersonal, 200)}),
		"GET /api/v1/frameworks/{id}/report.pdf":  one(permProbe{method: "GET", path: "/api/v1/frameworks/{id}/report.pdf", obj: "framework", allowed: allow(permReadPersonal, 200)}),
		"POST /api/v1/frameworks/{id}/reports": one(permProbe{method: "POST", path: "/api/v1/frameworks/{id}/reports", obj: "framework", ctype: jsonType,
			body: fmt.Sprintf(`{"unit_id":%d,"period":"bogus"}`, permFGCommune), allowed: allow(permFGCommittee, 422)}),
		"GET /api/v1/scoresheets/{id}": one(permProbe{method: "GET", path: "/api/v1/scoresheets/{id}", obj: "scoresheet", allowed: allow(permReadPersonal, 200)}),
		"PUT /api/v1/scoresheets/{id}/scores": one(permProbe{method: "PUT", path: "/api/v1/scoresheets/{id}/scores", obj: "scoresheet", ctype: jsonType,
			body: `[{"criterion":"nope","points":1}]`, allowed: allow(permReadPersonal, 422)}),
		"POST /api/v1/scoresheets/{id}/submit": one(permProbe{method: "POST", path: "/api/v1/scoresheets/{id}/submit", obj: "scoresheet", allowed: allow(permReadPersonal, 422)}),
		// Files on a criterion: the upload without a file (422), the removal
		// of a file added at a stage now locked (409).
		"GET /api/v1/scoresheets/{id}/attachments": one(permProbe{method: "GET", path: "/api/v1/scoresheets/{id}/attachments", obj: "scoresheet", allowed: allow(permReadPersonal, 200)}),
		"POST /api/v1/scoresheets/{id}/attachments": one(permProbe{method: "POST", path: "/api/v1/scoresheets/{id}/attachments?criterion=1", obj: "scoresheet",
			ctype: multipart, body: permMultipart, allowed: allow(permReadPersonal, 422)}),
		"GET /api/v1/scoresheets/{id}/attachments/{aid}":    one(permProbe{method: "GET", path: "/api/v1/scoresheets/{id}/attachments/{aid}", obj: "scoresheet", allowed: allow(permReadPersonal, 200)}),
		"DELETE /api/v1/scoresheets/{id}/attachments/{aid}": one(permProbe{method: "DELETE", path: "/api/v1/scoresheets/{id}/attachments/{lockedaid}", obj: "scoresheet", allowed: allow(permReadPersonal, 409)}),

		// The pages: a refused form renders itself again with 422.
		"GET /chi-bo-4-tot": one(permProbe{method: "GET", path: "/chi-bo-4-tot", allowed: everyone(200)},
			permProbe{method: "GET", path: "/chi-bo-4-tot?unit={id}", obj: "unit", allowed: everyone(200)}),
		"GET /chi-bo-4-tot/khung/{id}": one(permProbe{method: "GET", path: "/chi-bo-4-tot/khung/{id}", obj: "framework", allowed: everyone(200)}),
		"POST /chi-bo-4-tot/khung/{id}/tieu-chi/{code}": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/tieu-chi/trang-thai", obj: "framework",
			ctype: formType, body: "status=bogus", allowed: allow(permFGOwner, 422)}),
		"POST /chi-bo-4-tot/khung/{id}/tieu-chi": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/tieu-chi", obj: "framework",
			ctype: formType, body: "code=&title=", allowed: allow(permFGOwner, 422)}),
		"POST /chi-bo-4-tot/khung/{id}/tieu-chi/{code}/xoa": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/tieu-chi/1/xoa", obj: "framework",
			ctype: formType, body: "version=0", allowed: allow(permFGOwner, 422)}),
		"POST /chi-bo-4-tot/khung/{id}/nhap": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/nhap", obj: "framework",
			ctype: formType, body: "x=1", allowed: allow(permFGOwner, 422)}),
		"POST /chi-bo-4-tot/khung/{id}/sao-chep": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/sao-chep", obj: "framework",
			ctype: formType, body: "year=1", allowed: allow(permFGOwner, 422)}),
		"POST /chi-bo-4-tot/khung/{id}/dang-ky": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/dang-ky", obj: "framework",
			ctype: formType, body: fmt.Sprintf("unit_id=%d&period=bogus", permFGCell), allowed: allow(permReadPersonal, 422)}),
		"GET /chi-bo-4-tot/khung/{id}/ket-qua": one(permProbe{method: "GET", path: "/chi-bo-4-tot/khung/{id}/ket-qua", obj: "framework", allowed: allow(permReadPersonal, 200)}),
		"POST /chi-bo-4-tot/khung/{id}/bao-cao": one(permProbe{method: "POST", path: "/chi-bo-4-tot/khung/{id}/bao-cao", obj: "framework",
			ctype: formType, body: fmt.Sprintf("unit_id=%d&period=bogus", permFGCommune), allowed: allow(permFGCommittee, 422)}),
		"GET /chi-bo-4-tot/bieu/{id}": one(permProbe{method: "GET", path: "/chi-bo-4-tot/bieu/{id}", obj: "scoresheet", allowed: allow(permReadPersonal, 200)}),
		"POST /chi-bo-4-tot/bieu/{id}/diem": one(permProbe{method: "POST", path: "/chi-bo-4-tot/bieu/{id}/diem", obj: "scoresheet",
			ctype: formType, body: "criterion=nope&points=1", allowed: allow(permReadPersonal, 422)}),
		"POST /chi-bo-4-tot/bieu/{id}/gui": one(permProbe{method: "POST", path: "/chi-bo-4-tot/bieu/{id}/gui", obj: "scoresheet",
			ctype: formType, body: "version=0", allowed: allow(permReadPersonal, 422)}),
		"POST /chi-bo-4-tot/bieu/{id}/tep": one(permProbe{method: "POST", path: "/chi-bo-4-tot/bieu/{id}/tep", obj: "scoresheet",
			ctype: formType, body: "criterion=1", allowed: allow(permReadPersonal, 422)}),
		"POST /chi-bo-4-tot/bieu/{id}/tep/{aid}/xoa": one(permProbe{method: "POST", path: "/chi-bo-4-tot/bieu/{id}/tep/{lockedaid}/xoa", obj: "scoresheet",
			ctype: formType, body: "criterion=1", allowed: allow(permReadPersonal, 409)}),
		"POST /chi-bo-4-tot/bieu/{id}/lien-ket": one(permProbe{method: "POST", path: "/chi-bo-4-tot/bieu/{id}/lien-ket", obj: "scoresheet",
			ctype: formType, body: "criterion=1&kind=bogus&link_id=1", allowed: allow(permReadPersonal, 422)}),
	}
}
