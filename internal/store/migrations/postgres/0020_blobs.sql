-- Attachments in the database (see internal/store/blobs.go): each content
-- once, by its SHA-256, cut in chunks of at most 256 KiB so that a download
-- reads one chunk at a time and a range read costs the chunks it touches.
-- A blob row is written in the same transaction as all its chunks: a blob
-- that exists is whole.
CREATE TABLE blobs (
	hash TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	chunk_size INTEGER NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);

-- The chunks are already compressed formats (PDF, zip-based office files):
-- EXTERNAL keeps them out of line without trying to compress them again.
CREATE TABLE blob_chunks (
	hash TEXT NOT NULL REFERENCES blobs(hash),
	seq INTEGER NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (hash, seq)
);
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
