-- sotay:expand
-- Member name search, two words or more (issue 17; docs/api.md "Members";
-- store/members_pairs.go). A query of several words ("van nguyen") matches
-- the names where a word ending with its first word is followed by its
-- middle words and then by a word starting with its last one. Every
-- trigram of such a query may be common while the words rarely meet: the
-- trigram index then intersects long posting lists (20-38 ms of CPU in the
-- city). This index holds each name's word boundaries: the last three
-- characters of a word, a space, the first three of the next (the first
-- seven boundaries; '~' marks a name of nine words or more, whose later
-- boundaries are not held), so that a query's boundary is one key of it.
-- The matches are checked again with name_folded LIKE: it only narrows.
CREATE INDEX IF NOT EXISTS members_name_pairs ON members USING gin ((ARRAY[
  right(split_part(name_folded, ' ', 1), 3) || ' ' || left(split_part(name_folded, ' ', 2), 3),
  right(split_part(name_folded, ' ', 2), 3) || ' ' || left(split_part(name_folded, ' ', 3), 3),
  right(split_part(name_folded, ' ', 3), 3) || ' ' || left(split_part(name_folded, ' ', 4), 3),
  right(split_part(name_folded, ' ', 4), 3) || ' ' || left(split_part(name_folded, ' ', 5), 3),
  right(split_part(name_folded, ' ', 5), 3) || ' ' || left(split_part(name_folded, ' ', 6), 3),
  right(split_part(name_folded, ' ', 6), 3) || ' ' || left(split_part(name_folded, ' ', 7), 3),
  right(split_part(name_folded, ' ', 7), 3) || ' ' || left(split_part(name_folded, ' ', 8), 3),
  CASE WHEN length(name_folded) - length(replace(name_folded, ' ', '')) >= 8 THEN '~' ELSE '' END]));
