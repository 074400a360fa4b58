-- Member name search (issue 17; docs/api.md "Members"; store/members_search.go).
-- 1. The subtree's walk in name order reads the names from member_scopes
--    alone: the rows carry the member's folded name, and the table is
--    kept in its primary key's order (WITHOUT ROWID), so that a range is
--    one b-tree walk with no visit of members per row. Rewritten with the
--    rest of the row (members_scopes.go).
-- 2. A rare word is found through member_names, an FTS5 index of the
--    folded names with the trigram tokenizer (a quoted phrase matches the
--    names that hold it as a substring), kept by triggers in the writes'
--    transactions; the matches are checked again with name_folded LIKE,
--    so that the index only narrows.
CREATE TABLE member_scopes_new (
  scope_id    INTEGER NOT NULL,
  sort_key    BLOB NOT NULL,
  member_id   INTEGER NOT NULL,
  status      TEXT NOT NULL,
  name_folded TEXT NOT NULL,
  PRIMARY KEY (scope_id, sort_key, member_id)
) WITHOUT ROWID;
INSERT INTO member_scopes_new (scope_id, sort_key, member_id, status, name_folded)
SELECT s.scope_id, s.sort_key, s.member_id, s.status, m.name_folded
FROM member_scopes s JOIN members m ON m.id = s.member_id
ORDER BY s.scope_id, s.sort_key, s.member_id;
DROP TABLE member_scopes;
ALTER TABLE member_scopes_new RENAME TO member_scopes;
CREATE INDEX member_scopes_member ON member_scopes(member_id);
CREATE INDEX member_scopes_status ON member_scopes(scope_id, status);

CREATE VIRTUAL TABLE member_names USING fts5(name_folded, content='members', content_rowid='id', tokenize='trigram', detail='full');
INSERT INTO member_names(member_names) VALUES ('rebuild');
CREATE TRIGGER members_names_insert AFTER INSERT ON members BEGIN
  INSERT INTO member_names(rowid, name_folded) VALUES (new.id, new.name_folded);
END;
CREATE TRIGGER members_names_delete AFTER DELETE ON members BEGIN
  INSERT INTO member_names(member_names, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
END;
CREATE TRIGGER members_names_update AFTER UPDATE OF name_folded ON members BEGIN
  INSERT INTO member_names(member_names, rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
  INSERT INTO member_names(rowid, name_folded) VALUES (new.id, new.name_folded);
END;
