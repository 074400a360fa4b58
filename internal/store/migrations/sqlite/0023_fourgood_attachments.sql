-- Attachments on a criterion's score (internal/scoring): the metadata;
-- the content is kept by doc.Files by its SHA-256, as the documents' are.
-- stage is the sheet's stage when the file was added: it is locked once
-- the sheet moves past that stage.
CREATE TABLE fourgood_attachments (
  id         INTEGER PRIMARY KEY,
  sheet_id   INTEGER NOT NULL REFERENCES fourgood_sheets(id),
  criterion  TEXT NOT NULL,
  stage      TEXT NOT NULL,
  name       TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  account_id INTEGER,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX fourgood_attachments_sheet ON fourgood_attachments(sheet_id, criterion, id);
