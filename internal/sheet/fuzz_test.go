package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"sort"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzReadCSV feeds arbitrary bytes to Read as a text file.
func FuzzReadCSV(f *testing.F) {
	for _, args := range csvSeeds(f) {
		f.Add(args[0])
	}
	recoverPanics = false
	f.Cleanup(func() { recoverPanics = true })
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
	})
}

// FuzzReadXLSX builds a workbook around fuzzed worksheet, shared strings and
// styles parts (fuzzing the ZIP bytes themselves would mostly hit CRC
// errors), then reads it.
func FuzzReadXLSX(f *testing.F) {
	for _, args := range xlsxSeeds(f) {
		f.Add(args[0], args[1], args[2])
	}
	template := unzipParts(f, membersXLSX(f))
	recoverPanics = false
	f.Cleanup(func() { recoverPanics = true })
	f.Fuzz(func(t *testing.T, sheet, sst, styles []byte) {
		parts := map[string][]byte{}
		for k, v := range template {
			parts[k] = v
		}
		for i, v := range [][]byte{sheet, sst, styles} {
			parts[xlsxParts[i]] = v
		}
		checkRead(t, zipParts(t, parts))
	})
}

// checkRead reads data and checks what must hold for any input: no panic,
// errors wrap a sentinel, and a table is well formed.
func checkRead(t *testing.T, data []byte) {
	fields := memberFields
	got, err := Read(bytes.NewReader(data), "fuzz", "", fields, Limits{MaxRows: 1000})
	if err != nil {
		if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNoHeader) {
			t.Fatalf("Read: got error %v, want one wrapping a sentinel", err)
		}
		return
	}
	if len(got.Columns) != len(got.Headers) || len(got.Columns) == 0 {
		t.Fatalf("Read: got %d columns and %d headers", len(got.Columns), len(got.Headers))
	}
	if got.HeaderRow < 1 {
		t.Fatalf("Read: got header row %d", got.HeaderRow)
	}
	matched := 0
	for _, c := range got.Columns {
		if c != "" {
			matched++
		}
	}
	if matched < 2 {
		t.Fatalf("Read: got %d matched columns, want at least 2", matched)
	}
	prev := got.HeaderRow
	for _, r := range got.Rows {
		if r.Number < prev {
			t.Fatalf("Read: got row %d after row %d", r.Number, prev)
		}
		prev = r.Number
		if len(r.Cells) != len(got.Columns) {
			t.Fatalf("Read: row %d has %d cells, want %d", r.Number, len(r.Cells), len(got.Columns))
		}
		empty := true
		for _, c := range r.Cells {
			checkValue(t, c.Value)
			if c.Value != "" {
				empty = false
			}
			if c.Date && c.Numeric {
				t.Fatalf("Read: cell %+v is both date and number", c)
			}
		}
		if empty {
			t.Fatalf("Read: row %d is empty", r.Number)
		}
	}
	for _, h := range got.Headers {
		checkValue(t, h)
	}
}

func checkValue(t *testing.T, v string) {
	if !utf8.ValidString(v) || !norm.NFC.IsNormalString(v) || clean(v) != v {
		t.Fatalf("Read: got value %q, not clean", v)
	}
}

// zipParts builds an uncompressed ZIP from parts.
func zipParts(t testing.TB, parts map[string][]byte) []byte {
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		must(t, err)
		_, err = w.Write(parts[n])
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

func readZipParts(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		out[zf.Name] = b
	}
	return out, nil
}
