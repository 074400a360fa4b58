-- Documents and news, their numbering, revisions, audiences, read receipts,
-- attachments, notes, bookmarks and comments (SQLite).

-- Committee terms: documents are numbered from 01 in each term. A unit
-- without a configured term (on itself or above) uses the five-year party
-- congress terms counted from 2025-10-01 (see doc.DefaultTerm).
CREATE TABLE terms (
  id         INTEGER PRIMARY KEY,
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  name       TEXT NOT NULL DEFAULT '',
  starts_on  TEXT NOT NULL,
  ends_on    TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (unit_id, starts_on)
);

-- One row per document or piece of news. The audience is stored here as
-- one (unit, roles) pair: publishing to a subtree costs one row.
-- search_* hold the folded text the full-text index reads (doc.SearchText).
CREATE TABLE documents (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,             -- document | news
  type             TEXT NOT NULL DEFAULT '',
  seq              INTEGER,
  number           TEXT NOT NULL DEFAULT '',
  issuer_code      TEXT NOT NULL DEFAULT '',
  issuer_unit_id   INTEGER NOT NULL REFERENCES units(id),
  term_start       TEXT,
  issued_on        TEXT NOT NULL,
  category         TEXT NOT NULL DEFAULT '',
  featured         INTEGER NOT NULL DEFAULT 0,
  title            TEXT NOT NULL,
  summary          TEXT NOT NULL DEFAULT '',
  body             TEXT NOT NULL DEFAULT '',
  audience_unit_id INTEGER NOT NULL REFERENCES units(id),
  audience_roles   TEXT NOT NULL DEFAULT '',   -- '' or ',role,role,'
  version          INTEGER NOT NULL DEFAULT 1,
  search_title     TEXT NOT NULL DEFAULT '',
  search_number    TEXT NOT NULL DEFAULT '',
  search_summary   TEXT NOT NULL DEFAULT '',
  search_body      TEXT NOT NULL DEFAULT '',
  created_by       INTEGER,
  published_at     TIMESTAMP NOT NULL,
  updated_at       TIMESTAMP NOT NULL,
  -- No number twice in one issuer's sequence of a type in a term.
  UNIQUE (issuer_unit_id, issuer_code, type, term_start, seq)
);
CREATE INDEX documents_audience ON documents(audience_unit_id, kind, issued_on, id);
CREATE INDEX documents_kind_issued ON documents(kind, issued_on, id);
CREATE INDEX documents_issuer ON documents(issuer_unit_id, kind, issued_on, id);

-- The last number given per issuer unit, issuer code, type and term; the
-- next number is UPDATE … SET last = last + 1 … RETURNING last in the
-- transaction that inserts the document.
CREATE TABLE doc_counters (
  issuer_unit_id INTEGER NOT NULL REFERENCES units(id),
  issuer_code    TEXT NOT NULL,
  type           TEXT NOT NULL,
  term_start     TEXT NOT NULL,
  last           INTEGER NOT NULL,
  PRIMARY KEY (issuer_unit_id, issuer_code, type, term_start)
);

CREATE TABLE doc_revisions (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version     INTEGER NOT NULL,
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  account_id  INTEGER,
  username    TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (document_id, version)
);

-- A member read a revision (first read time). Unread = no row for the
-- document's current version.
CREATE TABLE doc_receipts (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  member_id   INTEGER NOT NULL REFERENCES members(id),
  version     INTEGER NOT NULL,
  read_at     TIMESTAMP NOT NULL,
  PRIMARY KEY (document_id, member_id, version)
);
CREATE INDEX doc_receipts_member ON doc_receipts(member_id, document_id);
-- The read-rate roll-up reads the active members of a subtree unit by unit:
-- with the status in the index it does not touch the member rows.
CREATE INDEX members_unit_status ON members(unit_id, status, id);

-- Attachment metadata; the content is a file named by its SHA-256.
CREATE TABLE doc_attachments (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  name        TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  account_id  INTEGER,
  created_at  TIMESTAMP NOT NULL
);
CREATE INDEX doc_attachments_document ON doc_attachments(document_id);

CREATE TABLE doc_notes (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  body        TEXT NOT NULL,
  updated_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (document_id, account_id)
);

CREATE TABLE doc_bookmarks (
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  created_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (account_id, document_id)
);

CREATE TABLE news_comments (
  id         INTEGER PRIMARY KEY,
  news_id    INTEGER NOT NULL REFERENCES documents(id),
  account_id INTEGER REFERENCES accounts(id),
  member_id  INTEGER REFERENCES members(id),
  username   TEXT NOT NULL DEFAULT '',
  body       TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  hidden_at  TIMESTAMP,
  hidden_by  INTEGER
);
CREATE INDEX news_comments_news ON news_comments(news_id, id);

-- Full text: an external-content FTS5 table over the folded columns, kept
-- in step by triggers. bm25() weighs title and number above summary and body.
CREATE VIRTUAL TABLE documents_fts USING fts5(
  search_title, search_number, search_summary, search_body,
  content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts (rowid, search_title, search_number, search_summary, search_body)
  VALUES (new.id, new.search_title, new.search_number, new.search_summary, new.search_body);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, search_title, search_number, search_summary, search_body)
  VALUES ('delete', old.id, old.search_title, old.search_number, old.search_summary, old.search_body);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_title, search_number, search_summary, search_body ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, search_title, search_number, search_summary, search_body)
  VALUES ('delete', old.id, old.search_title, old.search_number, old.search_summary, old.search_body);
  INSERT INTO documents_fts (rowid, search_title, search_number, search_summary, search_body)
  VALUES (new.id, new.search_title, new.search_number, new.search_summary, new.search_body);
END;
