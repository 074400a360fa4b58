-- sotay:expand
-- Member digits search and due-full (issue 17; store/members_digits.go
-- digitsSetPageSQL, store/members.go memberSparsePage): on PostgreSQL the
-- numbers' indexes take the member's id and member_scopes_status the rows'
-- sort key and member (INCLUDE). SQLite's indexes already hold them: those of
-- members the rowid, which is the id, and those of member_scopes (WITHOUT
-- ROWID) its primary key. PostgreSQL also gets units_live_order for the units
-- search; SQLite's units search is not changed (not measured on its city).
-- Nothing is added here; the number is kept for both engines.
SELECT 1;
