package output

import (
	"github.com/sotay-vn/sotay/internal/apperr"
)

// Bounds of the printed form: a body beyond one of them is refused with a
// keyed 4xx error, so that no input, however made, can hold a worker for
// long or fill its memory. A party document is a few pages; a report some
// tens.
const (
	// MaxSource is the longest Markdown body, in bytes.
	MaxSource = 1 << 20
	// MaxBlocks counts headings, paragraphs, lists, list items and table
	// rows.
	MaxBlocks = 10000
	// MaxDepth is the deepest nesting of lists and quotations.
	MaxDepth = 8
	// MaxCells counts the cells of all tables; MaxColumns the columns of
	// one.
	MaxCells   = 20000
	MaxColumns = 20
	// MaxPages is the longest paper the layout sets.
	MaxPages = 500
)

func errTooLarge(n int) error {
	return apperr.Keyed(apperr.TooLarge, "output.too_large", "the text is too long to print: %[1]d bytes, at most %[2]d", n, MaxSource)
}

func errTooManyBlocks() error {
	return apperr.Keyed(apperr.Invalid, "output.too_many_blocks", "the text has too many headings, paragraphs, list items and table rows to print: at most %[1]d", MaxBlocks)
}

func errTooDeep() error {
	return apperr.Keyed(apperr.Invalid, "output.too_deep", "lists or quotations are nested too deep to print: at most %[1]d levels", MaxDepth)
}

func errTooManyCells() error {
	return apperr.Keyed(apperr.Invalid, "output.too_many_cells", "the tables have too many cells to print: at most %[1]d", MaxCells)
}

func errTooWide(n int) error {
	return apperr.Keyed(apperr.Invalid, "output.too_wide", "a table has %[1]d columns, at most %[2]d fit on the page", n, MaxColumns)
}

func errTooManyPages() error {
	return apperr.Keyed(apperr.Invalid, "output.too_many_pages", "the paper would be longer than %[1]d pages", MaxPages)
}

func errRowTooTall() error {
	return apperr.Keyed(apperr.Invalid, "output.row_too_tall", "a table row holds more text than fits on one page")
}

func errRender(what string) error {
	return apperr.Keyed(apperr.Internal, "output.failed", "the paper could not be printed (%[1]s)", what)
}
