-- The in-app inbox and the e-mail digest (PostgreSQL; see internal/notify).
-- The notifications table itself came with 0006_tasks.sql: it holds the
-- stored notifications (one row per recipient). "New document for you" is
-- not stored per reader: it is derived from the documents' audiences when
-- the inbox is read, and these tables hold only what a reader did to it.

-- Per account: the kinds left out of the daily digest (',kind,kind,') and
-- the last "mark all read", which marks every derived item published or
-- revised before it read.
CREATE TABLE notification_settings (
  account_id  BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  digest_off  TEXT NOT NULL DEFAULT '',
  read_all_at TIMESTAMPTZ,
  updated_at  TIMESTAMPTZ NOT NULL
);

-- A derived "new document" item that an account marked read without
-- opening the document (a read receipt of the current revision is the
-- other way). Written only by that act: one row per account and document.
CREATE TABLE notification_doc_reads (
  account_id  BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  document_id BIGINT NOT NULL REFERENCES documents(id),
  version     INTEGER NOT NULL,
  read_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, document_id)
);

-- The derived view reads the documents addressed to a handful of units
-- (those on the reader's path and the units of their roles) that were
-- published or revised since a moment.
CREATE INDEX documents_audience_updated ON documents(audience_unit_id, kind, updated_at, id);
