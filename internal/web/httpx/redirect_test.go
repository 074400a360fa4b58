package httpx

import (
	"net/url"
	"strings"
	"testing"
)

func TestLocalPathRefusesOffSiteTargets(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"/don-vi/2?q=a", "/don-vi/2?q=a"},
		{"/tin-tuc/5?da=saved#top", "/tin-tuc/5?da=saved#top"},
		{"/tìm-kiếm?q=Phú+Túc", "/tìm-kiếm?q=Phú+Túc"},
		{"", "/"},
		{"don-vi", "/"},
		{"//evil.com", "/"},
		{"///evil.com", "/"},
		{"/\\evil.com", "/"},
		{"\\/evil.com", "/"},
		{"/\t/evil.com", "/"},
		{"/\n/evil.com", "/"},
		{"/\r/evil.com", "/"},
		{"/ /evil.com", "/"},
		{"\t//evil.com", "/"},
		{" /x", "/"},
		{"/x\u00a0", "/"},
		{"/%09/evil.com", "/"},
		{"/%0a/evil.com", "/"},
		{"/%5c/evil.com", "/"},
		{"/%2F/evil.com", "/"},
		{"/%2f%2fevil.com", "/"},
		{"https://evil.com", "/"},
		{"HTTPS://evil.com/", "/"},
		{"http:/evil.com", "/"},
		{"javascript:alert(1)", "/"},
		{"//user@evil.com/", "/"},
		{"/a\r\nSet-Cookie: x", "/"},
		{"/a\x00b", "/"},
		{"/a\x7fb", "/"},
		{"/\u202e/moc.live", "/"},
		{"/\u200b/evil.com", "/"},
		{"/\xff/evil.com", "/"},
		{"/%zz", "/"},
	}
	for _, tt := range tests {
		if got := LocalPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLocalPath: whatever comes in, what goes out is "/" or the input, and
// it stays on this site even after a browser strips tabs and newlines and
// reads backslashes as slashes.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/don-vi/2?q=a", "/\t/evil.com", "/\\evil.com", "//evil.com", "/%09/evil.com", "https://evil.com", "/%2F/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := LocalPath(in)
		if got != "/" && got != in {
			t.Fatalf("localPath(%q) = %q, want / or the input", in, got)
		}
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(seen)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("localPath(%q) = %q, which a browser reads as %q: off this site", in, got, seen)
		}
	})
}
