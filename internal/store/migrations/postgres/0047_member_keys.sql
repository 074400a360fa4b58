-- sotay:expand
-- Member name search by word in a big subtree (issue 17; docs/api.md
-- "Members"; store/members_keys.go). A rare word in a subtree of more than
-- 10,000 members ("khuc" in the city) cost a walk of 5,000 names that
-- found it rare, then the trigram index's candidates of the whole city
-- fetched from the heap and checked against the subtree: 4-12 ms of CPU
-- (docs/benchmarks.md, r19-search, r20-search). member_keys holds, for each
-- member (not for each unit of its path: r20-search's 9.9 M rows and
-- 2.5 GB), each word of its folded name and each pair of adjacent words
-- ("van nguyen"), under its unit's path, with its status and sort key in
-- the index: a key's members in a subtree are one range (key, path prefix)
-- read from the index alone, and the few of a rare key are sorted in Go.
-- member_words is the vocabulary (a few hundred words in the city): the
-- words that hold a query's text are read from it, and each is one range.
--
-- The keys are kept only where a subtree can be big enough to read them:
-- member_keys_on holds a row when they are (this migration: a database of
-- more than 10,000 members; later the bulk loader or `check counters
-- --fix`). Small databases (the demo, the tests) pay one look-up of it per
-- write statement. Kept by statement triggers on members (a member's name,
-- unit, status or sort key) and units (a path moved), so every write keeps
-- them in its transaction, the code before this migration too (expand).
-- member_words only grows (a word no one has left is an empty range).
-- `check counters` compares member_keys with its recomputation; --fix
-- rewrites it.
-- The writers of members wait for the migration (its fill reads one
-- snapshot; the triggers come after it).
LOCK TABLE members, units IN SHARE ROW EXCLUSIVE MODE;

CREATE FUNCTION member_keys_of(name TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w FROM unnest(string_to_array(name, ' ')) w WHERE w <> ''
  UNION
  SELECT a.w || ' ' || b.w FROM unnest(string_to_array(name, ' ')) WITH ORDINALITY a(w, i)
    JOIN unnest(string_to_array(name, ' ')) WITH ORDINALITY b(w, i) ON b.i = a.i + 1
  WHERE a.w <> '' AND b.w <> ''
$$;

CREATE TABLE member_keys_on (one INTEGER PRIMARY KEY CHECK (one = 1));
INSERT INTO member_keys_on (one) SELECT 1 WHERE (SELECT COUNT(*) FROM members) > 10000;

CREATE TABLE member_keys (
  key       TEXT COLLATE "C" NOT NULL,
  path      TEXT COLLATE "C" NOT NULL,
  member_id BIGINT NOT NULL,
  status    TEXT NOT NULL,
  sort_key  BYTEA NOT NULL
);
INSERT INTO member_keys (key, path, member_id, status, sort_key)
SELECT k, u.path, m.id, m.status, m.sort_key
FROM members m JOIN units u ON u.id = m.unit_id CROSS JOIN LATERAL member_keys_of(m.name_folded) k
WHERE EXISTS (SELECT 1 FROM member_keys_on)
ORDER BY 1, 2, 3;
ALTER TABLE member_keys ADD CONSTRAINT member_keys_pkey PRIMARY KEY (key, path, member_id) INCLUDE (status, sort_key);
CREATE INDEX member_keys_member ON member_keys (member_id);

-- n: the word's rows when it was written here (a hint, not kept: a word
-- common in the city is not worth counting in member_keys for a search).
CREATE TABLE member_words (word TEXT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
INSERT INTO member_words (word, n) SELECT key, COUNT(*) FROM member_keys WHERE strpos(key, ' ') = 0 GROUP BY key;

-- The members' rows: those a statement inserted, deleted, or changed in
-- name, unit, status or sort key (a trigger with transition tables may not
-- name columns, so an update compares the old and new rows).
CREATE FUNCTION member_keys_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM member_keys_on) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM member_keys k USING old_rows o WHERE k.member_id = o.id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM member_keys k USING old_rows o JOIN new_rows n ON n.id = o.id
    WHERE k.member_id = o.id AND (o.name_folded, o.unit_id, o.status, o.sort_key) IS DISTINCT FROM (n.name_folded, n.unit_id, n.status, n.sort_key);
    INSERT INTO member_keys (key, path, member_id, status, sort_key)
    SELECT x, u.path, n.id, n.status, n.sort_key FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN units u ON u.id = n.unit_id
      CROSS JOIN LATERAL member_keys_of(n.name_folded) x
    WHERE (o.name_folded, o.unit_id, o.status, o.sort_key) IS DISTINCT FROM (n.name_folded, n.unit_id, n.status, n.sort_key)
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO member_keys (key, path, member_id, status, sort_key)
    SELECT x, u.path, n.id, n.status, n.sort_key FROM new_rows n JOIN units u ON u.id = n.unit_id CROSS JOIN LATERAL member_keys_of(n.name_folded) x
    ON CONFLICT DO NOTHING;
  END IF;
  INSERT INTO member_words (word)
  SELECT DISTINCT x FROM (SELECT DISTINCT name_folded FROM new_rows) n CROSS JOIN LATERAL member_keys_of(n.name_folded) x
  WHERE strpos(x, ' ') = 0 AND NOT EXISTS (SELECT 1 FROM member_words w WHERE w.word = x)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER member_keys_insert AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_keys_sync();
CREATE TRIGGER member_keys_delete AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_keys_sync();
CREATE TRIGGER member_keys_update AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_keys_sync();

-- A unit whose path changed (a subtree moved): its members' rows follow.
CREATE FUNCTION member_keys_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM member_keys_on) THEN
    RETURN NULL;
  END IF;
  UPDATE member_keys k SET path = n.path FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN members m ON m.unit_id = n.id
  WHERE o.path <> n.path AND k.member_id = m.id;
  RETURN NULL;
END $$;
CREATE TRIGGER member_keys_units AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_keys_units();

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM member_keys_on) THEN
    ANALYZE member_keys;
    ANALYZE member_words;
  END IF;
END $$;
