-- sotay:expand
-- Member name search, two words or more (issue 17; docs/api.md "Members";
-- store/members_pairs.go). A query of several words ("van nguyen") matches
-- the names where a word ending with its first word is followed by its
-- middle words and then by a word starting with its last one. Every
-- trigram of such a query may be common while the words rarely meet: the
-- FTS5 phrase then reads long doclists (20-37 ms of CPU in the city).
-- member_pairs holds each name's word boundaries (the last three
-- characters of a word, a space, the first three of the next), kept by
-- triggers in the writes' transactions, so that a query's boundary is one
-- range of its key. The matches are checked again with name_folded LIKE:
-- it only narrows. (The words are split with json_each: a trigger may not
-- hold a WITH; the names hold no control characters, viet.CheckLine.)
CREATE TABLE member_pairs (
  token     TEXT NOT NULL,
  member_id INTEGER NOT NULL,
  PRIMARY KEY (token, member_id)
) WITHOUT ROWID;
INSERT INTO member_pairs (token, member_id)
SELECT DISTINCT substr(a.value, -3) || ' ' || substr(b.value, 1, 3), m.id
    FROM members m, json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(m.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1
  ORDER BY 1, 2;
CREATE TRIGGER members_pairs_insert AFTER INSERT ON members BEGIN
  INSERT INTO member_pairs (token, member_id)
  SELECT DISTINCT substr(a.value, -3) || ' ' || substr(b.value, 1, 3), new.id
    FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1;
END;
CREATE TRIGGER members_pairs_delete AFTER DELETE ON members BEGIN
  DELETE FROM member_pairs WHERE member_id = old.id AND token IN (SELECT substr(a.value, -3) || ' ' || substr(b.value, 1, 3)
    FROM json_each('["' || replace(replace(replace(old.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(old.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1);
END;
CREATE TRIGGER members_pairs_update AFTER UPDATE OF name_folded ON members BEGIN
  DELETE FROM member_pairs WHERE member_id = old.id AND token IN (SELECT substr(a.value, -3) || ' ' || substr(b.value, 1, 3)
    FROM json_each('["' || replace(replace(replace(old.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(old.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1);
  INSERT INTO member_pairs (token, member_id)
  SELECT DISTINCT substr(a.value, -3) || ' ' || substr(b.value, 1, 3), new.id
    FROM json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') a JOIN json_each('["' || replace(replace(replace(new.name_folded, '\', '\\'), '"', '\"'), ' ', '","') || '"]') b ON b.key = a.key + 1;
END;
