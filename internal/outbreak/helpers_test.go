package outbreak

import "github.com/sotay-vn/sotay/internal/apperr"

// fieldOf is the first field an error names ("" when none, "-" when it
// is not an apperr).
func fieldOf(err error) string {
	e, ok := apperr.As(err)
	if !ok {
		return "-"
	}
	if len(e.Fields) == 0 {
		return ""
	}
	return e.Fields[0].Field
}
