package auth

import (
	"context"
	"testing"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// blockingVerifier is a database whose verification runs until release
// is closed, telling started when it begins.
type blockingVerifier struct {
	started, release chan struct{}
}

func (b *blockingVerifier) VerifyAuditChain(context.Context) (ChainReport, error) {
	b.started <- struct{}{}
	<-b.release
	return ChainReport{}, nil
}

// TestVerifyAuditChainOneAtATimePerDatabase checks that a verification
// refuses to start beside another of the same database (Conflict), and
// that another database's verification runs meanwhile: the gate was once
// the whole process's, and a process holding two databases (the tests'
// servers) refused the second.
func TestVerifyAuditChainOneAtATimePerDatabase(t *testing.T) {
	admin := actorWith(1, grant("/1/", RoleAdmin))
	a := &blockingVerifier{started: make(chan struct{}), release: make(chan struct{})}
	errA := make(chan error)
	go func() {
		_, err := VerifyAuditChain(context.Background(), a, admin)
		errA <- err
	}()
	<-a.started
	if _, err := VerifyAuditChain(context.Background(), a, admin); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a second verification of the same database: got %v, want a conflict", err)
	}
	b := &blockingVerifier{started: make(chan struct{}, 1), release: make(chan struct{})}
	close(b.release)
	if _, err := VerifyAuditChain(context.Background(), b, admin); err != nil {
		t.Errorf("another database's verification while the first runs: got %v, want it to run", err)
	}
	close(a.release)
	if err := <-errA; err != nil {
		t.Fatalf("the first verification: %v", err)
	}
	a.started = make(chan struct{}, 1)
	if _, err := VerifyAuditChain(context.Background(), a, admin); err != nil {
		t.Errorf("the same database once its verification ended: got %v, want it to run", err)
	}
}
