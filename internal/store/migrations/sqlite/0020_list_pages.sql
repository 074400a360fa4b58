-- Lists that cost a page (issue 17).
-- The inbox: the account's and the member's notifications each in inbox
-- order (created_at, id), so that a page merges two index ranges.
DROP INDEX notifications_account;
DROP INDEX notifications_member;
CREATE INDEX notifications_account_page ON notifications(account_id, created_at, id) WHERE account_id IS NOT NULL;
CREATE INDEX notifications_member_page ON notifications(member_id, created_at, id) WHERE member_id IS NOT NULL;
