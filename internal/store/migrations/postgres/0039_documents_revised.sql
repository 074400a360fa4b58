-- sotay:expand
-- The documents list's `unread` (issue 17): a document is unread when the
-- reader's member has no receipt of its current revision. The count checks
-- that against two sets built once per statement, not by a look-up of the
-- document and its receipt on each row of the reader's ranges: the
-- member's receipts (doc_receipts_member), and among them those of
-- documents revised since (a receipt of an older revision only); the page
-- looks up the row's receipts and this index, not the document. The stale
-- set starts from this index of the revised documents (version > 1, few),
-- so that it costs the revisions, not the member's receipts.
CREATE INDEX documents_revised ON documents(id, version) WHERE version > 1;
-- The inbox's counts of the member's notifications that are not also the
-- account's (all, and unread): the range of the member with account_id in
-- the index, so that "not the account's" is checked there. With
-- notifications_member_page/_unread, each of the 1,001 rows counted was
-- read from the table for its account_id (a city member: 2,000 rows, about
-- 10 ms of PostgreSQL's CPU).
CREATE INDEX notifications_member_others ON notifications(member_id, account_id) WHERE member_id IS NOT NULL;
CREATE INDEX notifications_member_others_unread ON notifications(member_id, account_id) WHERE member_id IS NOT NULL AND read_at IS NULL;
-- Marked expand: new indexes, which the code of the release before reads or ignores.
