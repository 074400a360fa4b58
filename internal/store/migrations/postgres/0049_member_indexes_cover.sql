-- sotay:expand
-- Member digits search (issue 17; docs/api.md "Members";
-- store/members_digits.go digitsSetPageSQL): the three numbers' indexes hold
-- the member's id, so that the members whose card number, citizen ID or
-- phone number starts with some digits are read from the indexes alone
-- (index-only), as a set that a walk of the subtree in name order is
-- checked against, instead of reading each walked member's record (1,000
-- look-ups of members for "0915" in the city). Same names, same keys, same
-- uniqueness: the code before this migration reads them as before.
DROP INDEX IF EXISTS members_card_no;
CREATE UNIQUE INDEX members_card_no ON members(card_no) INCLUDE (id) WHERE card_no IS NOT NULL;
DROP INDEX IF EXISTS members_citizen_id;
CREATE UNIQUE INDEX members_citizen_id ON members(citizen_id) INCLUDE (id) WHERE citizen_id IS NOT NULL;
DROP INDEX IF EXISTS members_phone;
CREATE INDEX members_phone ON members(phone) INCLUDE (id);
-- Members admitted by a day of few statuses (GET /members/due-full;
-- store/members.go memberSparsePage): the statuses' rows admitted by the day
-- are one range of member_scopes_status, which now holds each row's place
-- in name order, so that the page reads them from the index alone. Without
-- it PostgreSQL read the whole subtree's range of member_scopes_pkey
-- instead (index-only there): 22,649 rows for the 295 of a big district,
-- 7–9 ms of its CPU a page (docs/benchmarks.md, r23-city).
DROP INDEX IF EXISTS member_scopes_status;
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status, admitted_on) INCLUDE (sort_key, member_id);
-- The units search (GET /api/v1/units?q=, the unit picker; store/units_search.go
-- Search): the live units in the list's order (depth, name), so that a common
-- word's page stops after its 20 units; before, the city office's search read
-- all 22,453 units and sorted the matches (8–14 ms a request,
-- docs/benchmarks.md, r23-city). A rare word still reads them all.
CREATE INDEX units_live_order ON units(depth, name_folded, id) WHERE dissolved_on IS NULL;
