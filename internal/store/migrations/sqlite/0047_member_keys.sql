-- sotay:expand
-- Member name search by word in a big subtree (issue 17; docs/api.md
-- "Members"; store/members_keys.go). A rare word in a subtree of more than
-- 10,000 members ("khuc" in the city) cost a walk of 5,000 names that
-- found it rare, then the FTS5 candidates of the whole city checked
-- against the subtree (docs/benchmarks.md, r19-search, r20-search).
-- member_keys holds, for each member (not for each unit of its path:
-- r20-search's +0.8 GB), each word of its folded name and each pair of
-- adjacent words ("van nguyen"), under its unit's path, with its status
-- and sort key (WITHOUT ROWID: the table is its primary key's b-tree): a
-- key's members in a subtree are one range (key, path prefix), and the few
-- of a rare key are sorted in Go. member_words is the vocabulary (a few
-- hundred words in the city): the words that hold a query's text are read
-- from it, and each is one range.
--
-- The keys are kept only where a subtree can be big enough to read them:
-- member_keys_on holds a row when they are (this migration: a database of
-- more than 10,000 members; later the bulk loader or `check counters
-- --fix`). Small databases (the demo, the tests) pay the triggers' WHEN,
-- one look-up of it per member row written. Kept by triggers on members (a
-- member's name, unit, status or sort key) and units (a path moved), so
-- every write keeps them in its transaction, the code before this
-- migration too (expand). member_words only grows (a word no one has left
-- is an empty range). `check counters` compares member_keys with its
-- recomputation; --fix rewrites it. (The words are split with json_each
-- as in 0042: a trigger may not hold a WITH; the names hold no control
-- characters, viet.CheckLine.)
CREATE TABLE member_keys_on (one INTEGER PRIMARY KEY CHECK (one = 1));
INSERT INTO member_keys_on (one) SELECT 1 WHERE (SELECT COUNT(*) FROM members) > 10000;

CREATE TABLE member_keys (
  key       TEXT NOT NULL,
  path      TEXT NOT NULL,
  member_id INTEGER NOT NULL,
  status    TEXT NOT NULL,
  sort_key  BLOB NOT NULL,
  PRIMARY KEY (key, path, member_id)
) WITHOUT ROWID;
-- (SQLite has no lateral subquery: the words, then the pairs, one statement.)
INSERT OR IGNORE INTO member_keys (key, path, member_id, status, sort_key)
SELECT a.value, u.path, m.id, m.status, m.sort_key FROM members m JOIN units u ON u.id = m.unit_id, json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a
  WHERE a.value <> '' AND EXISTS (SELECT 1 FROM member_keys_on)
UNION ALL
SELECT a.value || ' ' || b.value, u.path, m.id, m.status, m.sort_key FROM members m JOIN units u ON u.id = m.unit_id, json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1
  WHERE a.value <> '' AND b.value <> '' AND EXISTS (SELECT 1 FROM member_keys_on)
ORDER BY 1, 2, 3;
CREATE INDEX member_keys_member ON member_keys (member_id);

-- n: the word's rows when it was written here (a hint, not kept: a word
-- common in the city is not worth counting in member_keys for a search).
CREATE TABLE member_words (word TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
INSERT OR IGNORE INTO member_words (word, n) SELECT key, COUNT(*) FROM member_keys WHERE instr(key, ' ') = 0 GROUP BY key;

CREATE TRIGGER member_keys_insert AFTER INSERT ON members WHEN EXISTS (SELECT 1 FROM member_keys_on) BEGIN
  INSERT OR IGNORE INTO member_keys (key, path, member_id, status, sort_key)
  SELECT x.k, (SELECT path FROM units WHERE id = new.unit_id), new.id, new.status, new.sort_key FROM (SELECT a.value AS k FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a WHERE a.value <> '' UNION SELECT a.value || ' ' || b.value FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1 WHERE a.value <> '' AND b.value <> '') x;
  INSERT OR IGNORE INTO member_words (word) SELECT DISTINCT a.value FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a WHERE a.value <> '';
END;
CREATE TRIGGER member_keys_delete AFTER DELETE ON members WHEN EXISTS (SELECT 1 FROM member_keys_on) BEGIN
  DELETE FROM member_keys WHERE member_id = old.id;
END;
CREATE TRIGGER member_keys_update AFTER UPDATE OF name_folded, unit_id, status, sort_key ON members WHEN EXISTS (SELECT 1 FROM member_keys_on) BEGIN
  DELETE FROM member_keys WHERE member_id = old.id;
  INSERT OR IGNORE INTO member_keys (key, path, member_id, status, sort_key)
  SELECT x.k, (SELECT path FROM units WHERE id = new.unit_id), new.id, new.status, new.sort_key FROM (SELECT a.value AS k FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a WHERE a.value <> '' UNION SELECT a.value || ' ' || b.value FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1 WHERE a.value <> '' AND b.value <> '') x;
  INSERT OR IGNORE INTO member_words (word) SELECT DISTINCT a.value FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a WHERE a.value <> '';
END;
-- A unit whose path changed (a subtree moved): its members' rows follow.
CREATE TRIGGER member_keys_units AFTER UPDATE OF path ON units WHEN old.path <> new.path AND EXISTS (SELECT 1 FROM member_keys_on) BEGIN
  UPDATE member_keys SET path = new.path WHERE member_id IN (SELECT id FROM members WHERE unit_id = new.id);
END;
ANALYZE member_keys;
ANALYZE member_words;
