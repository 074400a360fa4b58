package testrun

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// OfficeTool finds a program of the office checks (LibreOffice's soffice,
// poppler's pdftotext, pdffonts, pdfinfo), which internal/output and the
// end-to-end tests of internal/cli both run: missing, the test skips,
// unless SOTAY_REQUIRE_OFFICE is set (CI), where it fails.
func OfficeTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SOTAY_REQUIRE_OFFICE") != "" {
			t.Fatalf("%s is required (SOTAY_REQUIRE_OFFICE is set): %v", name, err)
		}
		t.Skipf("%s is not installed (set SOTAY_REQUIRE_OFFICE to make this a failure)", name)
	}
	return p
}

// Run runs a program and answers its standard output; a failure fails the
// test with the program's standard error.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}
