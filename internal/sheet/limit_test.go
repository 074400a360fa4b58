package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// bombXLSX returns a copy of an .xlsx with one part replaced by what write
// streams into it, so that a part of hundreds of MB never exists in memory:
// only its compressed form does.
func bombXLSX(t testing.TB, base []byte, part string, write func(w io.Writer, old string)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		old := mustRead(t, zf)
		w, err := zw.Create(zf.Name)
		must(t, err)
		if zf.Name == part {
			write(w, string(old))
			continue
		}
		_, err = w.Write(old)
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

// writeRepeated streams n bytes of 'a' in chunks.
func writeRepeated(t testing.TB, w io.Writer, n int) {
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		_, err := w.Write(chunk[:k])
		must(t, err)
		n -= k
	}
}

// allocatedBy returns the bytes f allocates on the heap (TotalAlloc delta):
// a bound on the memory it holds at any moment, whatever the collector does.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadValueBomb: a file of a few hundred KB whose one text unpacks to
// 300 MB is refused, naming the cell, without allocating more than a small
// bound while reading it.
func TestReadValueBomb(t *testing.T) {
	const bomb = 300 << 20
	const maxAlloc = 64 << 20
	base := membersXLSX(t)
	tests := []struct {
		name  string
		part  string
		write func(w io.Writer, old string)
		row   int
		col   int
	}{
		{
			name: "shared string",
			part: "xl/sharedStrings.xml",
			write: func(w io.Writer, old string) {
				// The bomb becomes string 0, which the title in A1 uses.
				i := strings.Index(old, "<si>")
				io.WriteString(w, old[:i]+"<si><t>")
				writeRepeated(t, w, bomb)
				io.WriteString(w, "</t></si>"+old[i:])
			},
			row: 1, col: 1,
		},
		{
			name: "inline string",
			part: "xl/worksheets/sheet1.xml",
			write: func(w io.Writer, old string) {
				io.WriteString(w, strings.TrimSuffix(sheetXML(`<row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Số thẻ</t></is></c></row>`+
					`<row r="2"><c r="A2" t="inlineStr"><is><t>An</t></is></c><c r="C2" t="inlineStr"><is><t>`), "</sheetData></worksheet>"))
				writeRepeated(t, w, bomb)
				io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
			},
			row: 2, col: 3,
		},
		{
			name: "rich text made of many short runs",
			part: "xl/worksheets/sheet1.xml",
			write: func(w io.Writer, old string) {
				io.WriteString(w, strings.TrimSuffix(sheetXML(`<row r="7"><c r="D7" t="inlineStr"><is>`), "</sheetData></worksheet>"))
				run := []byte("<r><t>" + strings.Repeat("a", 1000) + "</t></r>")
				for i := 0; i < 100000; i++ {
					w.Write(run)
				}
				io.WriteString(w, `</is></c></row></sheetData></worksheet>`)
			},
			row: 7, col: 4,
		},
		{
			name: "CDATA holding '<'",
			part: "xl/worksheets/sheet1.xml",
			write: func(w io.Writer, old string) {
				io.WriteString(w, strings.TrimSuffix(sheetXML(`<row r="4"><c r="E4" t="inlineStr"><is><t><![CDATA[`), "</sheetData></worksheet>"))
				chunk := bytes.Repeat([]byte("a<"), 1<<19)
				for i := 0; i < 100; i++ {
					w.Write(chunk)
				}
				io.WriteString(w, `]]></t></is></c></row></sheetData></worksheet>`)
			},
			row: 4, col: 5,
		},
		{
			name: "comment holding '<'",
			part: "xl/worksheets/sheet1.xml",
			write: func(w io.Writer, old string) {
				io.WriteString(w, strings.TrimSuffix(sheetXML(`<row r="5"><c r="F5"><!--`), "</sheetData></worksheet>"))
				chunk := bytes.Repeat([]byte("<"), 1<<20)
				for i := 0; i < 100; i++ {
					w.Write(chunk)
				}
				io.WriteString(w, `--><v>1</v></c></row></sheetData></worksheet>`)
			},
			row: 5, col: 6,
		},
		{
			name: "number",
			part: "xl/worksheets/sheet1.xml",
			write: func(w io.Writer, old string) {
				io.WriteString(w, strings.TrimSuffix(sheetXML(`<row r="3"><c r="B3"><v>1`), "</sheetData></worksheet>"))
				chunk := bytes.Repeat([]byte("0"), 1<<20)
				for i := 0; i < 100; i++ {
					w.Write(chunk)
				}
				io.WriteString(w, `</v></c></row></sheetData></worksheet>`)
			},
			row: 3, col: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bombXLSX(t, base, tt.part, tt.write)
			if len(data) > 1<<20 {
				t.Fatalf("bomb is %d bytes, want under 1 MiB", len(data))
			}
			var err error
			alloc := allocatedBy(func() {
				_, err = Read(bytes.NewReader(data), "bomb.xlsx", "", memberFields, Limits{})
			})
			if alloc > maxAlloc {
				t.Errorf("Read allocated %d MiB, want at most %d MiB", alloc>>20, maxAlloc>>20)
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Read: got %v, want ErrTooLarge", err)
			}
			var ve *ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("Read: got %v, want a *ValueError naming the cell", err)
			}
			if ve.Row != tt.row || ve.Column != tt.col {
				t.Errorf("Read: got row %d column %d, want row %d column %d (%v)", ve.Row, ve.Column, tt.row, tt.col, err)
			}
		})
	}
}

// TestReadLongValues checks the value bounds on ordinary (small) files.
func TestReadLongValues(t *testing.T) {
	long := strings.Repeat("x", maxValueBytes+1)
	t.Run("a long shared string no cell uses is harmless", func(t *testing.T) {
		data := rewritePart(t, membersXLSX(t), "xl/sharedStrings.xml", func(old string) string {
			return strings.Replace(old, "</sst>", "<si><t>"+long+"</t></si></sst>", 1)
		})
		got, err := Read(bytes.NewReader(data), "", "", memberFields, Limits{})
		if err != nil {
			t.Fatalf("Read: got error %v", err)
		}
		if len(got.Rows) != 3 {
			t.Errorf("Read: got %d rows, want 3", len(got.Rows))
		}
	})
	csvTests := []struct {
		name     string
		text     string
		row, col int
	}{
		{"field", "Họ tên,Số thẻ\nAn,1\nBình," + long + "\n", 3, 2},
		{"quoted field over lines", "Họ tên,Số thẻ\n\"" + strings.Repeat("x\n", maxValueBytes) + "\",1\n", 2, 1},
		{"line", "Họ tên,Số thẻ\n" + strings.Repeat("a,", maxLineBytes/2+1) + "\n", 2, 0},
	}
	for _, tt := range csvTests {
		t.Run("csv "+tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.text), "", "", memberFields, Limits{})
			var ve *ValueError
			if !errors.As(err, &ve) || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Read: got %v, want a *ValueError wrapping ErrTooLarge", err)
			}
			if ve.Row != tt.row || ve.Column != tt.col {
				t.Errorf("Read: got row %d column %d, want row %d column %d", ve.Row, ve.Column, tt.row, tt.col)
			}
		})
	}
}

func TestColumnName(t *testing.T) {
	for _, tt := range []struct {
		col  int
		want string
	}{{1, "A"}, {26, "Z"}, {27, "AA"}, {28, "AB"}, {702, "ZZ"}, {703, "AAA"}, {16384, "XFD"}, {0, ""}} {
		if got := ColumnName(tt.col); got != tt.want {
			t.Errorf("ColumnName(%d): got %q, want %q", tt.col, got, tt.want)
		}
	}
}

// TestReadManyZipEntries: a ZIP of tens of thousands of empty parts is
// refused before archive/zip allocates its directory.
func TestReadManyZipEntries(t *testing.T) {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i := 0; i < 60000; i++ {
		_, err := zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store})
		must(t, err)
	}
	w, err := zw.Create("xl/workbook.xml")
	must(t, err)
	io.WriteString(w, "<workbook/>")
	must(t, zw.Close())
	var got error
	alloc := allocatedBy(func() {
		_, got = Read(bytes.NewReader(out.Bytes()), "", "", memberFields, Limits{})
	})
	if alloc > 4<<20+3*uint64(out.Len()) {
		t.Errorf("Read allocated %d MiB for a %d KiB file", alloc>>20, out.Len()>>10)
	}
	if !errors.Is(got, ErrTooLarge) {
		t.Errorf("Read: got %v, want ErrTooLarge", got)
	}
}
