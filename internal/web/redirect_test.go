package web

import "testing"

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
		if got := localPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
