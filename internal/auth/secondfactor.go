package auth

import (
	"context"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
)

// TOTPEnrolment is what an enrolment shows once: the secret (to type in),
// the same as a key URI (for the QR code) and the recovery codes.
type TOTPEnrolment struct {
	Secret        string   `json:"secret"`
	OTPAuthURL    string   `json:"otpauth_url"`
	RecoveryCodes []string `json:"recovery_codes"`
}

// SecondFactor is an account's second factor as its owner may see it.
type SecondFactor struct {
	Enabled bool `json:"enabled"`
	// Pending is true between an enrolment and its confirmation.
	Pending bool `json:"pending"`
	// Required is true when the account's roles call for one.
	Required bool `json:"required"`
}

func ownAccount(actor *Actor) (int64, error) {
	if actor == nil || actor.AccountID == 0 {
		return 0, apperr.Keyed(apperr.NotFound, "common.not_found", "not found")
	}
	return actor.AccountID, nil
}

// SecondFactorOf tells the actor the state of their own second factor.
func (s *Service) SecondFactorOf(ctx context.Context, actor *Actor) (SecondFactor, error) {
	id, err := ownAccount(actor)
	if err != nil {
		return SecondFactor{}, err
	}
	st, err := s.Store.TOTP(ctx, id)
	if err != nil {
		return SecondFactor{}, err
	}
	return SecondFactor{Enabled: st.Enabled, Pending: !st.Enabled && st.Secret != "",
		Required: NeedsTOTPEnrolment(actor.Grants, false, st.Exempt)}, nil
}

// StartTOTP begins an enrolment: a new secret and new recovery codes, shown
// once. Starting again before confirming replaces both. An active second
// factor is not replaced here (Conflict).
func (s *Service) StartTOTP(ctx context.Context, actor *Actor) (*TOTPEnrolment, error) {
	id, err := ownAccount(actor)
	if err != nil {
		return nil, err
	}
	secret := NewTOTPSecret()
	codes, hashes := NewRecoveryCodes(RecoveryCodes)
	if err := s.Store.StartTOTP(ctx, id, secret, hashes); err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, OTPAuthURL: OTPAuthURL(actor.Username, secret), RecoveryCodes: codes}, nil
}

// PendingTOTPURL returns the key URI of an enrolment not yet confirmed, for
// its QR code. Once confirmed the secret is never shown again.
func (s *Service) PendingTOTPURL(ctx context.Context, actor *Actor) (string, error) {
	id, err := ownAccount(actor)
	if err != nil {
		return "", err
	}
	st, err := s.Store.TOTP(ctx, id)
	if err != nil {
		return "", err
	}
	if st.Enabled || st.Secret == "" {
		return "", apperr.Keyed(apperr.NotFound, "auth.no_enrolment_progress", "no enrolment in progress")
	}
	return OTPAuthURL(actor.Username, st.Secret), nil
}

// ConfirmTOTP activates the pending secret when otp is its current code.
func (s *Service) ConfirmTOTP(ctx context.Context, actor *Actor, otp string) error {
	id, err := ownAccount(actor)
	if err != nil {
		return err
	}
	st, err := s.Store.TOTP(ctx, id)
	if err != nil {
		return err
	}
	if st.Enabled {
		return apperr.Keyed(apperr.Conflict, "auth.second_factor_already_active", "the second factor is already active")
	}
	if st.Secret == "" {
		return apperr.Keyed(apperr.Conflict, "auth.start_enrolment_first", "start the enrolment first")
	}
	// Wrong codes count against the sign-in limits: six digits are few.
	if err := s.Limiter.Check(ctx, actor.Username, actor.Address, s.now()); err != nil {
		return err
	}
	step, ok := VerifyTOTP(st.Secret, otp, s.now(), st.LastStep)
	if !ok {
		if err := s.Limiter.Fail(ctx, actor.Username, actor.Address, s.now()); err != nil {
			return err
		}
		return apperr.Keyed(apperr.Invalid, "auth.code_not_valid", "the code is not valid").With(apperr.FieldKeyed("otp", "auth.not_current_code_authenticator", "not the current code of the authenticator app: check the phone's clock and try again"))
	}
	return s.Store.EnableTOTP(ctx, id, st.Secret, step, AuditEntry{Actor: actor, Action: "account.totp_enable", ObjectType: "account", ObjectID: id})
}

// checkSecondFactor accepts a current code from the app (each time step
// once) or an unused recovery code (once).
func (s *Service) checkSecondFactor(ctx context.Context, acc *Account, otp, address string) (bool, error) {
	st, err := s.Store.TOTP(ctx, acc.ID)
	if err != nil {
		return false, err
	}
	if looksLikeTOTP(otp) {
		step, ok := VerifyTOTP(st.Secret, otp, s.now(), st.LastStep)
		if !ok {
			return false, nil
		}
		return s.Store.UseTOTPStep(ctx, acc.ID, step)
	}
	if len(strings.TrimSpace(otp)) > 64 {
		return false, nil
	}
	self := &Actor{AccountID: acc.ID, Username: acc.Username, Address: address}
	return s.Store.UseRecoveryCode(ctx, acc.ID, RecoveryCodeHash(otp),
		AuditEntry{Actor: self, Action: "account.recovery_code_use", ObjectType: "account", ObjectID: acc.ID})
}
