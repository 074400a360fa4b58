-- Roll-ups that do not grow with the tree (issue 16, item 4; issue 17, item 2).
--
-- Per-unit counters, NOT per-subtree: a unit's own members and its own
-- members' receipts. A roll-up over a subtree sums the counters of the
-- subtree's units (a range scan of units.path): it costs units, not members,
-- and a unit moved in the tree (its path rewritten) changes no counter.
-- The counters are kept by triggers, so every write path (a member's
-- transfer or status change, a merge of units that moves its members, a
-- receipt, the demo's and the importers' set-based inserts) updates them in
-- the write's own transaction. Rows may fall to 0 and stay (readers skip
-- them). `sotay check counters` recomputes both tables from scratch.

-- Members per unit and status (every status, active or not).
CREATE TABLE unit_member_counts (
  unit_id INTEGER NOT NULL,
  status  TEXT NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (unit_id, status)
) WITHOUT ROWID;

-- Receipts of a document's revision by the ACTIVE members (probationary,
-- full, exempt) of a unit: the "read" column of the read-rate roll-up. A
-- member's move or status change carries their receipts with them.
CREATE TABLE doc_read_counts (
  document_id INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (document_id, version, unit_id)
) WITHOUT ROWID;

INSERT INTO unit_member_counts (unit_id, status, n)
SELECT unit_id, status, COUNT(*) FROM members GROUP BY unit_id, status;

INSERT INTO doc_read_counts (document_id, version, unit_id, n)
SELECT r.document_id, r.version, m.unit_id, COUNT(*)
FROM doc_receipts r JOIN members m ON m.id = r.member_id
WHERE m.status IN ('probationary', 'full', 'exempt')
GROUP BY r.document_id, r.version, m.unit_id;

CREATE TRIGGER members_counters_insert AFTER INSERT ON members BEGIN
  INSERT INTO unit_member_counts (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
    ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER members_counters_delete AFTER DELETE ON members BEGIN
  UPDATE unit_member_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
  INSERT INTO doc_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, OLD.unit_id, -1 FROM doc_receipts r
    WHERE r.member_id = OLD.id AND OLD.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER members_counters_update AFTER UPDATE OF unit_id, status ON members
WHEN OLD.unit_id <> NEW.unit_id OR OLD.status <> NEW.status BEGIN
  UPDATE unit_member_counts SET n = n - 1 WHERE unit_id = OLD.unit_id AND status = OLD.status;
  INSERT INTO unit_member_counts (unit_id, status, n) VALUES (NEW.unit_id, NEW.status, 1)
    ON CONFLICT (unit_id, status) DO UPDATE SET n = n + 1;
  INSERT INTO doc_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, OLD.unit_id, -1 FROM doc_receipts r
    WHERE r.member_id = OLD.id AND OLD.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
  INSERT INTO doc_read_counts (document_id, version, unit_id, n)
    SELECT r.document_id, r.version, NEW.unit_id, 1 FROM doc_receipts r
    WHERE r.member_id = NEW.id AND NEW.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER doc_receipts_counters_insert AFTER INSERT ON doc_receipts BEGIN
  INSERT INTO doc_read_counts (document_id, version, unit_id, n)
    SELECT NEW.document_id, NEW.version, m.unit_id, 1 FROM members m
    WHERE m.id = NEW.member_id AND m.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER doc_receipts_counters_delete AFTER DELETE ON doc_receipts BEGIN
  INSERT INTO doc_read_counts (document_id, version, unit_id, n)
    SELECT OLD.document_id, OLD.version, m.unit_id, -1 FROM members m
    WHERE m.id = OLD.member_id AND m.status IN ('probationary', 'full', 'exempt')
    ON CONFLICT (document_id, version, unit_id) DO UPDATE SET n = n - 1;
END;
