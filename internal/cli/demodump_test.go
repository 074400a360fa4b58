package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"
)

// TestDemoFixedClockBuild builds the demo district into the SQLite file
// named by SOTAY_DEMO_FIXED_DB on a clock that stands at 2026-12-07 10:00
// in Vietnam, so that two builds by different code can be compared row by
// row (bench/demodump dumps the file): the demo's content is dated
// relative to the clock. Skipped without the variable.
func TestDemoFixedClockBuild(t *testing.T) {
	file := os.Getenv("SOTAY_DEMO_FIXED_DB")
	if file == "" {
		t.Skip("SOTAY_DEMO_FIXED_DB not set")
	}
	ctx := context.Background()
	a, err := openApp(ctx, dbFlags{DB: "sqlite:" + file}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fixed := time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	a.DB.Now = func() time.Time { return fixed }
	if _, err := a.loadDemo(ctx, "district", 1, io.Discard); err != nil {
		t.Fatal(err)
	}
}
