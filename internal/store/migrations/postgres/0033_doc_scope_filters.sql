-- The documents list's filters as index ranges (issue 17): doc_scopes
-- carries the document's type, issuer unit, category and featured mark,
-- and each filter has an index in the list's order (issued_on, doc_id)
-- within the reader's key, so that a rare value (a type, an issuer, a
-- category, the featured news) reads the rows it lists and stops after
-- the page, instead of walking the reader's whole range to fill it.
-- featured follows the document (Docs.SetFeatured); the others are fixed
-- when the document is written.
ALTER TABLE doc_scopes ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE doc_scopes ADD COLUMN issuer_unit_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE doc_scopes ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE doc_scopes ADD COLUMN featured BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE doc_scopes s SET type = d.type, issuer_unit_id = d.issuer_unit_id, category = d.category, featured = d.featured
  FROM documents d WHERE d.id = s.doc_id;
CREATE INDEX doc_scopes_type ON doc_scopes(rel, scope, role, kind, type, issued_on, doc_id);
CREATE INDEX doc_scopes_issuer ON doc_scopes(rel, scope, role, kind, issuer_unit_id, issued_on, doc_id);
CREATE INDEX doc_scopes_category ON doc_scopes(rel, scope, role, kind, category, issued_on, doc_id);
CREATE INDEX doc_scopes_featured ON doc_scopes(rel, scope, role, kind, issued_on, doc_id) WHERE featured;
