-- Member digits search (issue 17; docs/api.md "Members";
-- store/members_digits.go): the phone number's index, so that a search by
-- the start of a phone number reads the members whose phone starts with
-- the digits, as card_no and citizen_id have their unique indexes.
CREATE INDEX IF NOT EXISTS members_phone ON members(phone);
