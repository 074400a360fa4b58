-- sotay:expand
-- The documents search of a word in a few percent of the documents
-- (issue 17; store/docs_search.go): for each document, each word of its
-- search text and the first two and three letters of each word ("19*":
-- every document with a word that begins with 19), with its issue date,
-- so that a key's documents newest first are one range of the primary
-- key. The same table as PostgreSQL's (the words are the FTS5 tokens:
-- doc.SearchText leaves runs of [a-z0-9] separated by single spaces).
-- Kept by triggers on documents, in the write's transaction.
CREATE TABLE document_words (
  key       TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  doc_id    INTEGER NOT NULL,
  PRIMARY KEY (key, issued_on, doc_id)
) WITHOUT ROWID;

-- The words of a document's search columns as a JSON array (json_each):
-- no trigger may hold a common table expression.
INSERT OR IGNORE INTO document_words (key, issued_on, doc_id)
SELECT k.key, d.issued_on, d.id FROM documents d JOIN (
  SELECT d2.id AS id, w.value AS key FROM documents d2, json_each('["' || replace(d2.search_title || ' ' || d2.search_number || ' ' || d2.search_summary || ' ' || d2.search_body, ' ', '","') || '"]') w WHERE w.value <> ''
  UNION SELECT d2.id, substr(w.value, 1, 2) || '*' FROM documents d2, json_each('["' || replace(d2.search_title || ' ' || d2.search_number || ' ' || d2.search_summary || ' ' || d2.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 2
  UNION SELECT d2.id, substr(w.value, 1, 3) || '*' FROM documents d2, json_each('["' || replace(d2.search_title || ' ' || d2.search_number || ' ' || d2.search_summary || ' ' || d2.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 3
) k ON k.id = d.id;

CREATE TRIGGER document_words_insert AFTER INSERT ON documents BEGIN
  INSERT OR IGNORE INTO document_words (key, issued_on, doc_id)
  SELECT w.value, new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE w.value <> ''
  UNION SELECT substr(w.value, 1, 2) || '*', new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 2
  UNION SELECT substr(w.value, 1, 3) || '*', new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 3;
END;
CREATE TRIGGER document_words_delete AFTER DELETE ON documents BEGIN
  DELETE FROM document_words WHERE doc_id = old.id AND issued_on = old.issued_on AND key IN (
    SELECT w.value FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w
    UNION SELECT substr(w.value, 1, 2) || '*' FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w
    UNION SELECT substr(w.value, 1, 3) || '*' FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w);
END;
CREATE TRIGGER document_words_update AFTER UPDATE OF search_title, search_number, search_summary, search_body, issued_on ON documents BEGIN
  DELETE FROM document_words WHERE doc_id = old.id AND issued_on = old.issued_on AND key IN (
    SELECT w.value FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w
    UNION SELECT substr(w.value, 1, 2) || '*' FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w
    UNION SELECT substr(w.value, 1, 3) || '*' FROM json_each('["' || replace(old.search_title || ' ' || old.search_number || ' ' || old.search_summary || ' ' || old.search_body, ' ', '","') || '"]') w);
  INSERT OR IGNORE INTO document_words (key, issued_on, doc_id)
  SELECT w.value, new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE w.value <> ''
  UNION SELECT substr(w.value, 1, 2) || '*', new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 2
  UNION SELECT substr(w.value, 1, 3) || '*', new.issued_on, new.id FROM json_each('["' || replace(new.search_title || ' ' || new.search_number || ' ' || new.search_summary || ' ' || new.search_body, ' ', '","') || '"]') w WHERE length(w.value) >= 3;
END;
