-- Conference invitations in the inbox and expected attendees that follow
-- the audience until the start (see internal/store/conferences_follow.go).

-- The invitation's text, made once by the service when the conference is
-- created (Vietnamese, the time in Asia/Ho_Chi_Minh): the members who join
-- the audience later get the same text from SQL.
ALTER TABLE conferences ADD COLUMN invitation TEXT NOT NULL DEFAULT '';

-- A member's write looks up the conferences not yet started.
CREATE INDEX conferences_starts ON conferences(starts_at);

-- A conference called off before its start: kept (with its invitations and
-- the notice of the cancellation), refusing check-ins.
ALTER TABLE conferences ADD COLUMN cancelled_at TIMESTAMPTZ;
ALTER TABLE conferences ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
