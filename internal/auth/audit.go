package auth

// AuditEntry is one line of the audit trail: who did what to which object,
// with the object before and after. Stores write it in the same transaction
// as the change it records, so no write goes unrecorded.
type AuditEntry struct {
	Actor      *Actor
	Action     string // e.g. "member.update", "member.read", "unit.move"
	ObjectType string
	ObjectID   int64
	UnitPath   string // where the object sits in the tree, for scoping the log
	Before     any
	After      any
}
