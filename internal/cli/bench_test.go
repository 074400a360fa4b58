package cli

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/sheet"
)

// tenThousandRows builds a 10,000-row member list for one commune.
func tenThousandRows(b *testing.B, cells []string, taken map[string]bool) []byte {
	b.Helper()
	rows := make([][]string, 10000)
	card := 90000000
	for i := range rows {
		for taken[fmt.Sprint(card)] {
			card++
		}
		card++
		rows[i] = []string{"Nguyễn Văn Thử " + letterNumber(i, 5), "Nam", "01/02/1980", fmt.Sprint(card - 1), "", fmt.Sprintf("0011800%05d", i),
			"0912345678", "", "03/02/2005", "03/02/2006", cells[i%len(cells)], ""}
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "Đảng viên", "DANH SÁCH", member.Headers(), rows); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImport10k measures reading and validating (dry run) and
// importing a 10,000-row .xlsx into the demo district on SQLite.
func BenchmarkImport10k(b *testing.B) {
	m := startDemo(b)
	ctx := context.Background()
	commune, err := m.App.resolveUnit(ctx, "HN.PX.PHUTUC")
	if err != nil {
		b.Fatal(err)
	}
	kids, err := m.App.Org.Children(ctx, auth.SystemActor(), commune.ID)
	if err != nil {
		b.Fatal(err)
	}
	var cells []string
	for _, k := range kids {
		cells = append(cells, k.Code)
	}
	taken := map[string]bool{}
	rows, err := m.App.DB.Reader().QueryContext(ctx, `SELECT card_no FROM members WHERE card_no IS NOT NULL`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		taken[c] = true
	}
	rows.Close()
	file := tenThousandRows(b, cells, taken)
	for _, dry := range []bool{true, false} {
		name := "import"
		if dry {
			name = "dry-run"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rep, err := m.App.Importer.Import(ctx, auth.SystemActor(), member.ImportInput{UnitID: commune.ID, DryRun: dry, Body: bytes.NewReader(file), Filename: "x.xlsx", MaxBytes: 50 << 20})
				if err != nil || len(rep.Errors) > 0 {
					b.Fatalf("import: %v %v", err, rep.Errors[:min(3, len(rep.Errors))])
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
