-- sotay:expand
-- SQLite's documents search (issue 17; store/docs_search.go): documents_fts
-- again, with prefix indexes of two and three letters, so that the prefix
-- of a word being typed ("van ban" ends in "ban"*) is read as one term
-- from its own index instead of every term that begins with it merged in
-- memory: the MATCH of "van ban" (every document of the SQLite city)
-- and bm25's count of "ban"* read one doclist each, and a rarer term
-- joined with it ("19"*) seeks in it; the city's "van ban" went from
-- 37-53 ms of CPU to 22-39 (docs/benchmarks.md, r25-sqlitedocs). FTS5
-- has no ALTER of its options: the table is made again and filled from
-- documents (external content); the triggers of 0005 that keep it name
-- it only in their bodies and are unchanged.
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5(
  search_title, search_number, search_summary, search_body,
  content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0',
  prefix='2 3'
);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
