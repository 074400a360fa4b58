-- Attachments in the database (see internal/store/blobs.go): each content
-- once, by its SHA-256, cut in chunks of at most 256 KiB so that a download
-- reads one chunk at a time and a range read costs the chunks it touches.
-- A blob's chunks are written in a few short transactions while its hash is
-- NULL (nobody finds it), and the last one gives it its hash and size: a
-- blob that has a hash is whole. One left without (a crash mid-upload) is
-- removed later.
CREATE TABLE blobs (
	id INTEGER PRIMARY KEY,
	hash TEXT UNIQUE,
	size INTEGER NOT NULL,
	chunk_size INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE blob_chunks (
	blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (blob_id, seq)
);
