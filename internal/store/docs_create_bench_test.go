package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/org"
)

// BenchmarkDocCreate measures what a document's write costs (Docs.Create:
// the row, its revision, doc_scopes, the audit entry, and the triggers:
// the full-text index and, since migration 0051, document_words), for a
// short document (a title: 17 keys of document_words) and one with a body
// of 300 words (38 keys: it repeats a few dozen words), on both engines:
// CPU of this process and of the PostgreSQL backend (benchCPU) per
// document.
//
//	go test ./internal/store -run '^$' -bench DocCreate -benchtime 200x
func BenchmarkDocCreate(b *testing.B) {
	var vocab []string
	for _, w := range strings.Fields(`nghị quyết kỷ cương chi bộ phòng chống thi đua quán triệt đảng phí công tác xây dựng
		chỉnh đốn tổ chức cơ sở đảng viên sinh hoạt định kỳ kiểm tra giám sát kỷ luật cán bộ lãnh đạo quản lý`) {
		vocab = append(vocab, w)
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, size := range []string{"title", "body"} {
			b.Run(engine+"/"+size, func(b *testing.B) {
				db := benchEngines[engine](b)
				city := mustUnitTB(b, db, nil, org.KindProvince, "HN")
				clock := benchCPU(b, db)
				before := clock()
				b.ResetTimer()
				for i := range b.N {
					d := &doc.Document{Title: fmt.Sprintf("Văn bản %d về %s", i, vocab[i%len(vocab)]), IssuedOn: date.New(2026, time.Month(1+i%12), 1+i%28),
						Type: "TB", IssuerCode: "TU", IssuerUnitID: city.ID, Seq: i + 1, Number: fmt.Sprintf("%d-TB/TU", i+1), Audience: doc.Audience{UnitID: city.ID}}
					if size == "body" {
						var body []string
						for j := range 300 {
							body = append(body, vocab[(i+j*7)%len(vocab)]+fmt.Sprint(j%4))
						}
						d.Body = strings.Join(body, " ")
					}
					mustDoc(b, db, d)
				}
				b.StopTimer()
				b.ReportMetric(float64(clock()-before)/1e6/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
