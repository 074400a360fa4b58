package fakestore

import (
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
)

func TestCopy(t *testing.T) {
	type rec struct{ Name string }
	m := map[int64]*rec{1: {Name: "a"}}
	got, err := Copy(m, 1)
	if err != nil || got.Name != "a" {
		t.Fatalf("Copy(1): got %+v, %v, want a", got, err)
	}
	got.Name = "changed"
	if m[1].Name != "a" {
		t.Errorf("the kept record changed through the copy: got %q, want %q", m[1].Name, "a")
	}
	if _, err := Copy(m, 2); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Copy(2): got %v, want NotFound", err)
	}
}
