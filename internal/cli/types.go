package cli

import (
	"github.com/sotay-vn/sotay/internal/member"
	"github.com/sotay-vn/sotay/internal/org"
)

type (
	demoUnit   = org.Unit
	demoMember = member.Member
)
