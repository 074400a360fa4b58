-- Who signs a document on paper: the name under the signature of the
-- printed form, and whether a deputy signs for the secretary (K/T BÍ THƯ,
-- PHÓ BÍ THƯ). Empty for the documents written before.
ALTER TABLE documents ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN signer_deputy BOOLEAN NOT NULL DEFAULT FALSE;
