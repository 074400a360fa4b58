package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sotay-vn/sotay/internal/auth"
)

// TestAdminPagesRender renders the administration pages in both languages
// with data that takes their rarer branches.
func TestAdminPagesRender(t *testing.T) {
	member := int64(9)
	obj := int64(12)
	row := auth.AccountRow{ID: 3, Username: "bithu", MemberID: &member, MemberName: "Nguyễn Văn Đăng", TOTPEnabled: true,
		Roles: []auth.GrantView{{UnitID: 7, UnitName: "Chi bộ thôn Hạ", Role: auth.RoleCellOfficer}}}
	pk := picker{ID: "unit", QName: "don_vi", Field: "unit_id", Action: "/quan-tri/tai-khoan/moi", Method: "post", Legend: "admin.unit",
		Find: "admin.unit_search", Below: "picker.first", Any: "picker.any_unit", Q: "ha", Searched: true, More: true, Error: "required",
		Chosen:  []pickChoice{{Field: "unit_id", ID: 8, Name: "Đảng bộ xã Phú Túc"}},
		Matches: []pickChoice{{Field: "unit_id", ID: 7, Name: "Chi bộ thôn Hạ", Parent: "Đảng bộ xã Phú Túc", Checked: true}}}
	fields := map[string]string{"unit_id": "required", "role": "unknown role", "username": "required", "password": "at least 10 characters",
		"password2": "the two new passwords differ", "new_password": "too common", "totp": "you do not outrank this account", "id": "must be a positive integer"}
	data := map[string]viewer{
		"admin_accounts":    &accountsPage{Q: "dang", Rows: []auth.AccountRow{row, {ID: 4, Username: "x", Disabled: true}}, Next: "/n", First: "/f", Notice: "admin.created"},
		"admin_account_new": &accountNewPage{Picker: pk, Roles: auth.AllRoles, Values: map[string]string{"role": "member"}, Fields: fields, Message: "the user name x is taken"},
		"admin_account": &accountAdminPage{Account: &auth.AccountView{AccountRow: row, MayResetSecondFactor: true}, Picker: pk, Roles: auth.AllRoles,
			Sessions: []sessionRow{{ID: "ab", Agent: "Firefox"}}, Fields: fields, Values: map[string]string{}, Notice: "admin.roles_saved", AuditLink: "/quan-tri/nhat-ky?object=account:3"},
		"admin_audit": &auditPage{Picker: pk, ObjectType: "member", Types: choicesOf(auditTypes, "member", func(t string) (string, string) { return t, t }), Fields: fields, Next: "/n", First: "/f",
			Entries: []auditEntry{{AuditRecord: auth.AuditRecord{Username: "admin", Action: "member.update", ObjectType: "member", ObjectID: &obj,
				Before: json.RawMessage(`{"a":1}`)}, Before: "{\n  \"a\": 1\n}", After: "{}", ObjectLink: "/o", ActorLink: "/a"}}},
		"admin_verify": &verifyPage{Report: &auth.ChainReport{Entries: 5, LastSeq: 5, LastHash: "abc", Problem: "seq 6 removed", Kind: "removed", Pending: 2}, Took: "3ms"},
	}
	for _, l := range langs {
		for name, d := range data {
			d.base().Lang, d.base().Actor = l, &auth.Actor{Username: "admin", Grants: []auth.Grant{{UnitPath: "/1/", Role: auth.RoleAdmin}}}
			var buf bytes.Buffer
			if err := page(l, name).ExecuteTemplate(&buf, "layout", d); err != nil {
				t.Errorf("%s/%s: %v", l, name, err)
				continue
			}
			out := buf.String()
			if strings.Contains(out, "ZgotmplZ") || strings.Contains(out, "0xc") {
				t.Errorf("%s/%s: a value was refused or printed as a pointer", l, name)
			}
			if !strings.Contains(out, `href="/quan-tri/kiem-tra-nhat-ky"`) {
				t.Errorf("%s/%s: no link to the verification for an admin", l, name)
			}
		}
	}
}

// TestAdminLinks: the navigation links the administration for account
// managers only.
func TestAdminLinks(t *testing.T) {
	tests := []struct {
		role auth.Role
		want bool
	}{
		{auth.RoleAdmin, true}, {auth.RoleOffice, true}, {auth.RoleStandingCommittee, false}, {auth.RoleCommittee, false},
		{auth.RoleCellOfficer, false}, {auth.RoleMember, false},
	}
	for _, tt := range tests {
		p := &homePage{}
		p.Lang, p.Actor = vi, &auth.Actor{Username: "u", Grants: []auth.Grant{{UnitPath: "/1/", Role: tt.role}}}
		var buf bytes.Buffer
		if err := page(vi, "home").ExecuteTemplate(&buf, "layout", p); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), `href="/quan-tri/tai-khoan"`); got != tt.want {
			t.Errorf("%s: link to the accounts %v, want %v", tt.role, got, tt.want)
		}
	}
}
