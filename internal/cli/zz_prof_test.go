package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestZZProfPage(t *testing.T) {
	if os.Getenv("ZZPROF") == "" {
		t.Skip()
	}
	m := startDemo(t)
	w := newHandbookWorld(t, m)
	d := w.publish(t, w.phuTuc.ID, "Chỉ thị về tăng cường kỷ luật", "Các cấp ủy **quán triệt**.\n\nĐoạn hai.")
	h := m.App.Web.Handler()
	path := fmt.Sprintf("/van-ban/%d", d.ID)
	do := func() {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "sotay_session", Value: w.member.token})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatal(rec.Code)
		}
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for i := 0; i < 200; i++ {
		do()
	}
	c0 := cpu()
	const n = 3000
	for i := 0; i < n; i++ {
		do()
	}
	t.Logf("page: %v CPU/op", (cpu()-c0)/n)
	c0 = cpu()
	for i := 0; i < n*5; i++ {
		req := httptest.NewRequest("GET", "/static/app.e40be0e3e9.css", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
	}
	t.Logf("static: %v CPU/op", (cpu()-c0)/(n*5))
}
