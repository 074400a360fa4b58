-- sotay:expand
-- Member digits search (issue 17; store/members_digits.go
-- digitsSetPageSQL): on PostgreSQL the numbers' indexes take the member's
-- id (INCLUDE). SQLite's indexes of members already hold the rowid, which
-- is the id: nothing is added here; the number is kept for both engines.
SELECT 1;
