-- sotay:expand
-- The documents search of a word in a few percent of the documents (issue
-- 17; store/docs_search.go, docs/api.md "Search"). The GIN index gives a
-- word's matches in no order: the newest 1,000 of the reach were found by
-- reading every match from the index and the heap (11,111 for a word of
-- 5.5% of the city's documents: 22-29 ms). document_words holds, for each
-- document, each word of its search vector and the first two and three
-- letters of each word (the keys of a prefix: "19*" is every document with
-- a word that begins with 19), with its issue date: a key's documents
-- newest first (issued_on, then id, as the documents list) are one range
-- of the primary key that stops at the 1,000th match.
-- Kept by triggers on documents (insert, a text changed, delete), in the
-- write's transaction, the code before this migration too (expand);
-- documents are never re-dated (issued_on), so a row never moves.
LOCK TABLE documents IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION document_word_keys(v tsvector) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM unnest(tsvector_to_array(v)) w
  UNION SELECT left(w, 2) || '*' FROM unnest(tsvector_to_array(v)) w WHERE length(w) >= 2
  UNION SELECT left(w, 3) || '*' FROM unnest(tsvector_to_array(v)) w WHERE length(w) >= 3
$$;

CREATE TABLE document_words (
  key       TEXT COLLATE "C" NOT NULL,
  issued_on TEXT NOT NULL,
  doc_id    BIGINT NOT NULL
);
INSERT INTO document_words (key, issued_on, doc_id)
SELECT k, d.issued_on, d.id FROM documents d CROSS JOIN LATERAL document_word_keys(d.search_vector) k
ORDER BY 1, 2, 3;
ALTER TABLE document_words ADD CONSTRAINT document_words_pkey PRIMARY KEY (key, issued_on, doc_id);

CREATE FUNCTION document_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM document_words w WHERE w.key IN (SELECT document_word_keys(OLD.search_vector))
      AND w.issued_on = OLD.issued_on AND w.doc_id = OLD.id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO document_words (key, issued_on, doc_id)
    SELECT k, NEW.issued_on, NEW.id FROM document_word_keys(NEW.search_vector) k;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER document_words_insert AFTER INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION document_words_sync();
CREATE TRIGGER document_words_update AFTER UPDATE ON documents
  FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector OR OLD.issued_on <> NEW.issued_on)
  EXECUTE FUNCTION document_words_sync();
CREATE TRIGGER document_words_delete AFTER DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION document_words_sync();

ANALYZE document_words;
