package member

import (
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/auth"
	"github.com/sotay-vn/sotay/internal/date"
	"github.com/sotay-vn/sotay/internal/sheet"
	"github.com/sotay-vn/sotay/internal/viet"
)

// Columns are the columns of member import and export, Vietnamese header
// first (the export writes it), then the aliases an import also accepts.
var Columns = []sheet.Field{
	{Name: "full_name", Aliases: []string{"Họ và tên", "full_name", "Họ tên", "Họ và tên đảng viên", "Tên đảng viên"}, Required: true},
	{Name: "gender", Aliases: []string{"Giới tính", "gender", "Nam/Nữ", "Phái"}},
	{Name: "birth_date", Aliases: []string{"Ngày sinh", "birth_date", "Ngày tháng năm sinh", "Sinh ngày"}},
	{Name: "card_no", Aliases: []string{"Số thẻ đảng viên", "card_no", "Số thẻ", "Số thẻ ĐV", "Số thẻ Đảng"}},
	{Name: "biography_no", Aliases: []string{"Số lý lịch", "biography_no", "Số LL", "Số lí lịch"}},
	{Name: "citizen_id", Aliases: []string{"Số CCCD", "citizen_id", "CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh"}},
	{Name: "phone", Aliases: []string{"Điện thoại", "phone", "Số điện thoại", "SĐT", "ĐT"}},
	{Name: "email", Aliases: []string{"Email", "E-mail", "Thư điện tử"}},
	{Name: "admitted_on", Aliases: []string{"Ngày vào Đảng", "admitted_on", "Ngày vào đảng", "Ngày kết nạp"}},
	{Name: "full_on", Aliases: []string{"Ngày chính thức", "full_on", "Ngày công nhận chính thức"}},
	{Name: "unit", Aliases: []string{"Chi bộ", "unit", "Đơn vị", "Chi bộ sinh hoạt"}},
	{Name: "position", Aliases: []string{"Chức vụ", "position", "Chức vụ đảng"}},
}

// Report is the answer to an import or a dry run.
type Report struct {
	Rows    int                 `json:"rows"`
	Valid   int                 `json:"valid"`
	Errors  []apperr.FieldError `json:"errors"`
	Created int                 `json:"created"`
	Updated int                 `json:"updated"`
	// Unchanged counts the rows that match a stored record and would not
	// change it: they are not written (no new version, no audit entry).
	Unchanged   int  `json:"unchanged"`
	DryRun      bool `json:"dry_run"`
	WouldCreate int  `json:"would_create"`
	WouldUpdate int  `json:"would_update"`
	HeaderRow   int  `json:"header_row"`
	// Skipped lists the note rows after the last member (signatures,
	// "Người lập biểu", place and date lines) that were not imported.
	Skipped  []SkippedRow `json:"skipped"`
	Encoding string       `json:"encoding,omitempty"`
}

// SkippedRow is a row that was not read as a member, and why.
type SkippedRow struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// Existing is what an import needs to know of a record already stored.
type Existing struct {
	Member *Member
	Path   string
}

// ImportStore is the part of the store an import needs.
type ImportStore interface {
	// CellsUnder lists the live cells of a subtree (including the unit itself).
	CellsUnder(ctx context.Context, path string) ([]UnitRef, error)
	// Existing finds stored records by card number and citizen ID.
	Existing(ctx context.Context, cardNos, citizenIDs []string) (byCard, byCitizen map[string]Existing, err error)
	// Named finds the stored records of a subtree whose folded full
	// name is one of names.
	Named(ctx context.Context, path string, names []string) ([]Existing, error)
	// Import creates and updates in one transaction.
	Import(ctx context.Context, create, update []*Member, a auth.AuditEntry) error
}

// ImportInput is an uploaded file and where it goes.
type ImportInput struct {
	UnitID    int64
	DryRun    bool
	Body      io.Reader
	Filename  string
	MediaType string
	MaxBytes  int64
}

// Importer reads member lists from office files.
type Importer struct {
	Service *Service
	Store   ImportStore
	// MaxConcurrent bounds the imports read at the same time in this
	// process (default DefaultMaxConcurrentImports); others wait for a slot
	// while their request lasts. Each import's memory is bounded by the
	// sheet limits; this bounds their sum.
	MaxConcurrent int

	semOnce sync.Once
	sem     chan struct{}
}

// DefaultMaxConcurrentImports is the default of Importer.MaxConcurrent.
const DefaultMaxConcurrentImports = 4

// acquire waits for an import slot, or until ctx ends.
func (im *Importer) acquire(ctx context.Context) (func(), error) {
	im.semOnce.Do(func() {
		n := im.MaxConcurrent
		if n <= 0 {
			n = DefaultMaxConcurrentImports
		}
		im.sem = make(chan struct{}, n)
	})
	release := func() { <-im.sem }
	select {
	case im.sem <- struct{}{}: // a free slot first, even if ctx has ended
		return release, nil
	default:
	}
	select {
	case im.sem <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		e := apperr.Keyed(apperr.RateLimited, "member.import_busy", "too many imports at the same time; try again in a minute")
		e.Err = ctx.Err()
		return nil, e
	}
}

// row is one parsed line of the file.
type row struct {
	num       int
	m         *Member
	update    *Member
	unchanged bool // update is the stored record as it is
	refused   bool // an error was reported for the row
}

// Import validates every row and, unless it is a dry run and only when no
// row has an error, writes them all in one transaction.
func (im *Importer) Import(ctx context.Context, actor *auth.Actor, in ImportInput) (*Report, error) {
	target, err := im.Service.writableUnit(ctx, actor, in.UnitID)
	if err != nil {
		return nil, err
	}
	release, err := im.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	t, err := sheet.Read(in.Body, in.Filename, in.MediaType, Columns, sheet.Limits{MaxBytes: in.MaxBytes})
	if err != nil {
		return nil, readError(err)
	}
	rep := &Report{DryRun: in.DryRun, Errors: []apperr.FieldError{}, Skipped: []SkippedRow{}, HeaderRow: t.HeaderRow, Encoding: t.Encoding}
	t.Rows, rep.Skipped = dropTrailingNotes(t)
	rep.Rows = len(t.Rows)
	cells, err := im.Store.CellsUnder(ctx, target.Path)
	if err != nil {
		return nil, err
	}
	resolve := newUnitResolver(target, cells)
	today := im.Service.today()
	var rows []*row
	for _, r := range t.Rows {
		m, errs := parseRow(t, r, resolve, today)
		for _, e := range errs {
			rep.Errors = append(rep.Errors, e)
		}
		if len(errs) == 0 {
			rows = append(rows, &row{num: r.Number, m: m})
		}
	}
	rows = im.checkDuplicates(ctx, actor, target, rows, rep)
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
	var create, update []*Member
	for _, r := range rows {
		switch {
		case r.unchanged:
			rep.Unchanged++
		case r.update != nil:
			update = append(update, r.update)
		default:
			create = append(create, r.m)
		}
	}
	rep.Valid = len(rows)
	rep.WouldCreate, rep.WouldUpdate = len(create), len(update)
	if in.DryRun {
		return rep, nil
	}
	if len(rep.Errors) > 0 {
		e := apperr.Keyed(apperr.Invalid, "member.import_errors", "%d errors: nothing was imported", len(rep.Errors)).With(rep.Errors...)
		e.Extra = map[string]any{"rows": rep.Rows, "valid": rep.Valid, "created": 0, "updated": 0, "unchanged": 0, "dry_run": false}
		return rep, e
	}
	if len(create)+len(update) > 0 {
		err = im.Store.Import(ctx, create, update, auth.AuditEntry{Actor: actor, Action: "member.import", ObjectType: "unit", ObjectID: target.ID, UnitPath: target.Path,
			After: map[string]any{"file": in.Filename, "created": len(create), "updated": len(update)}})
		if err != nil {
			return nil, err
		}
	}
	rep.Created, rep.Updated = len(create), len(update)
	return rep, nil
}

// readError is what the import answers when the file cannot be read:
// a value too long (where), a file too large, of a kind it does not read,
// without the header row, or unreadable.
func readError(err error) error {
	var long *sheet.ValueError
	switch {
	case errors.As(err, &long):
		fe := apperr.RowKeyed(long.Row, "file", "member.import_value_long", "longer than %d bytes", long.Limit)
		var e *apperr.Error
		switch {
		case long.Column > 0:
			fe.Field = "column " + sheet.ColumnName(long.Column)
			e = apperr.Keyed(apperr.TooLarge, "member.import_long_cell", "a value is too long (row %d, column %s, more than %d bytes)", long.Row, sheet.ColumnName(long.Column), long.Limit)
		case long.Row > 0:
			e = apperr.Keyed(apperr.TooLarge, "member.import_long_row", "a value is too long (row %d, more than %d bytes)", long.Row, long.Limit)
		default:
			e = apperr.Keyed(apperr.TooLarge, "member.import_long", "a value is too long (more than %d bytes)", long.Limit)
		}
		e.Err = err
		return e.With(fe)
	case errors.Is(err, sheet.ErrTooLarge):
		e := apperr.Keyed(apperr.TooLarge, "common.file_too_large", "the file is too large")
		e.Err = err
		return e
	case errors.Is(err, sheet.ErrUnsupported):
		e := apperr.Keyed(apperr.Unsupported, "member.import_unsupported", "%s", err.Error())
		if key, args := apperr.KeyOf(err); key != "" {
			e.Key, e.Args = key, args // what is wrong with the file, in the reader's language
		}
		e.Err = err
		return e
	case errors.Is(err, sheet.ErrNoHeader):
		e := apperr.Keyed(apperr.Invalid, "member.import_no_header_detail", "%s", err.Error())
		if key, args := apperr.KeyOf(err); key != "" {
			e.Key, e.Args = key, args
		}
		return e.With(apperr.FieldKeyed("file", "member.import_no_header", "no header row with the member columns (Họ và tên, Ngày sinh, …) was found"))
	default:
		e := apperr.Keyed(apperr.Malformed, "member.import_unreadable", "the file cannot be read: %s", err.Error())
		e.Err = err
		return e
	}
}

// checkDuplicates reports rows that repeat a card number or citizen ID of
// an earlier row or of a stored record, and marks rows that update the
// same person within reach: the same number, name and birth date; or, for
// a row whose numbers are not recorded, the same folded name, birth date
// and cell within the target's subtree (see matchByName).
func (im *Importer) checkDuplicates(ctx context.Context, actor *auth.Actor, target *UnitRef, rows []*row, rep *Report) []*row {
	kept, cards, citizens := repeatsInFile(rows, rep)
	byCard, byCitizen, err := im.Store.Existing(ctx, cards, citizens)
	if err != nil {
		rep.Errors = append(rep.Errors, apperr.FieldKeyed("file", "member.existing_records_could_not", "the existing records could not be checked"))
		return nil
	}
	rows, kept = kept, nil
	for _, r := range rows {
		ex, found := byCard[r.m.CardNo]
		field, number := "card_no", r.m.CardNo
		if !found && r.m.CitizenID != "" {
			ex, found = byCitizen[r.m.CitizenID]
			field, number = "citizen_id", r.m.CitizenID
		}
		if !found {
			kept = append(kept, r) // matchByName decides below
			continue
		}
		same := ex.Member.NameFolded == r.m.NameFolded && ex.Member.BirthDate == r.m.BirthDate
		if !same || !actor.Can(ex.Path, WriteRoles) {
			rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, field, "member.already_recorded_another_member", "%s is already recorded for another member", number))
			continue
		}
		if c := byCitizen[r.m.CitizenID]; r.m.CitizenID != "" && c.Member != nil && c.Member.ID != ex.Member.ID {
			rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, "citizen_id", "member.already_recorded_another_member", "%s is already recorded for another member", r.m.CitizenID))
			continue
		}
		r.update = mergeInto(ex.Member, r.m)
		r.unchanged = sameRecord(r.update, ex.Member)
		kept = append(kept, r)
	}
	if err := im.matchByName(ctx, actor, target, kept, rep); err != nil {
		rep.Errors = append(rep.Errors, apperr.FieldKeyed("file", "member.existing_records_could_not", "the existing records could not be checked"))
		return nil
	}
	// Two rows must not update the same record.
	rows, kept = kept, nil
	claimed := map[int64]int{}
	for _, r := range rows {
		if r.refused {
			continue
		}
		if r.update != nil {
			if first, ok := claimed[r.update.ID]; ok {
				rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, "full_name", "member.row_same_member", "row %d is the same member", first))
				continue
			}
			claimed[r.update.ID] = r.num
		}
		kept = append(kept, r)
	}
	return kept
}

// firstRows remembers the row on which each number of a file (card
// numbers, citizen IDs) first stands, and the numbers in that order.
type firstRows struct {
	row   map[string]int
	order []string
}

// repeat notes that row num holds number n (nothing when n is empty) and
// answers the earlier row that held it already, if any.
func (f *firstRows) repeat(n string, num int) (first int, ok bool) {
	if n == "" {
		return 0, false
	}
	if first, ok := f.row[n]; ok {
		return first, true
	}
	if f.row == nil {
		f.row = map[string]int{}
	}
	f.row[n] = num
	f.order = append(f.order, n)
	return 0, false
}

// repeatsInFile reports rows that repeat a card number or citizen ID of an
// earlier row, and answers the other rows and the numbers to look up.
func repeatsInFile(rows []*row, rep *Report) (kept []*row, cards, citizens []string) {
	cardRows, citizenRows := firstRows{}, firstRows{}
	for _, r := range rows {
		dup := false
		if first, ok := cardRows.repeat(r.m.CardNo, r.num); ok {
			rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, "card_no", "member.card_number_also_row", "card number %s is also on row %d", r.m.CardNo, first))
			dup = true
		}
		if first, ok := citizenRows.repeat(r.m.CitizenID, r.num); ok {
			rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, "citizen_id", "member.citizen_id_also_row", "citizen ID %s is also on row %d", r.m.CitizenID, first))
			dup = true
		}
		if !dup {
			kept = append(kept, r)
		}
	}
	return kept, cardRows.order, citizenRows.order
}

// nameKey identifies a person without numbers: folded full name, birth
// date and cell.
type nameKey struct {
	name  string
	birth date.Date
	unit  int64
}

// matchByName finds, for the rows that no number matched, the stored
// record of the same folded full name, birth date and cell in the target's
// subtree, whose recorded numbers (if any) agree with the row's. Without
// it, importing an export duplicates everyone who has neither card number
// nor citizen ID. Several such records are an error: the row must say
// which one by a number.
func (im *Importer) matchByName(ctx context.Context, actor *auth.Actor, target *UnitRef, rows []*row, rep *Report) error {
	var names []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r.update == nil && !seen[r.m.NameFolded] {
			seen[r.m.NameFolded] = true
			names = append(names, r.m.NameFolded)
		}
	}
	if len(names) == 0 {
		return nil
	}
	stored, err := im.Store.Named(ctx, target.Path, names)
	if err != nil {
		return err
	}
	byKey := map[nameKey][]Existing{}
	for _, ex := range stored {
		k := nameKey{ex.Member.NameFolded, ex.Member.BirthDate, ex.Member.UnitID}
		byKey[k] = append(byKey[k], ex)
	}
	for _, r := range rows {
		if r.update != nil {
			continue
		}
		var match []Existing
		for _, ex := range byKey[nameKey{r.m.NameFolded, r.m.BirthDate, r.m.UnitID}] {
			agree := func(stored, given string) bool { return stored == "" || given == "" || stored == given }
			if agree(ex.Member.CardNo, r.m.CardNo) && agree(ex.Member.CitizenID, r.m.CitizenID) && actor.Can(ex.Path, WriteRoles) {
				match = append(match, ex)
			}
		}
		switch len(match) {
		case 0:
		case 1:
			r.update = mergeInto(match[0].Member, r.m)
			r.unchanged = sameRecord(r.update, match[0].Member)
		default:
			rep.Errors = append(rep.Errors, apperr.RowKeyed(r.num, "full_name", "member.members_name_birth_date", "%d members of this name and birth date are recorded in this cell: add the card number or citizen ID", len(match)))
			r.refused = true
		}
	}
	return nil
}

// sameRecord reports whether an import leaves a stored record as it is.
func sameRecord(a, b *Member) bool {
	return a.UnitID == b.UnitID && a.FullName == b.FullName && a.Gender == b.Gender && a.BirthDate == b.BirthDate &&
		a.CardNo == b.CardNo && a.BiographyNo == b.BiographyNo && a.CitizenID == b.CitizenID && a.Phone == b.Phone &&
		a.Email == b.Email && a.AdmittedOn == b.AdmittedOn && a.FullOn == b.FullOn && a.Status == b.Status && a.Position == b.Position
}

// WriteRoles may write member records (re-exported for the importer).
var WriteRoles = auth.WriteMembers

// mergeInto copies the imported fields onto a stored record.
func mergeInto(old, in *Member) *Member {
	m := *old
	m.UnitID, m.FullName, m.Gender, m.BirthDate = in.UnitID, in.FullName, in.Gender, in.BirthDate
	m.NameFolded, m.SortKey = in.NameFolded, in.SortKey
	m.AdmittedOn = in.AdmittedOn
	// The numbers and contacts the file leaves empty stay as they are.
	given := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	apply(&m, Patch{CardNo: given(in.CardNo), BiographyNo: given(in.BiographyNo), CitizenID: given(in.CitizenID),
		Phone: given(in.Phone), Email: given(in.Email), Position: given(in.Position)})
	if !in.FullOn.IsZero() {
		m.FullOn = in.FullOn
		if m.Status == StatusProbationary {
			m.Status = StatusFull
		}
	}
	return &m
}

// unitResolver finds the cell a row names, by code or by name.
type unitResolver struct {
	target *UnitRef
	byCode map[string]*UnitRef
	byName map[string][]*UnitRef
}

func newUnitResolver(target *UnitRef, cells []UnitRef) *unitResolver {
	r := &unitResolver{target: target, byCode: map[string]*UnitRef{}, byName: map[string][]*UnitRef{}}
	for i := range cells {
		c := &cells[i]
		r.byCode[strings.ToUpper(c.Code)] = c
		r.byName[viet.Fold(c.Name)] = append(r.byName[viet.Fold(c.Name)], c)
		// "Chi bộ thôn Hạ" is often written "thôn Hạ".
		short := strings.TrimPrefix(viet.Fold(c.Name), "chi bo ")
		if short != viet.Fold(c.Name) {
			r.byName[short] = append(r.byName[short], c)
		}
	}
	return r
}

func (r *unitResolver) resolve(v string) (*UnitRef, *apperr.FieldError) {
	var f apperr.FieldError
	switch cs := r.byName[viet.Fold(v)]; {
	case v == "" && r.target.Kind == "cell":
		return r.target, nil
	case v == "":
		f = apperr.FieldKeyed("unit", "member.import_unit_required", "required: the target unit is not a cell, so each row must name its cell")
	case r.byCode[strings.ToUpper(strings.TrimSpace(v))] != nil:
		return r.byCode[strings.ToUpper(strings.TrimSpace(v))], nil
	case len(cs) == 1:
		return cs[0], nil
	case len(cs) == 0:
		f = apperr.FieldKeyed("unit", "member.import_no_cell", "no cell %q under %s", v, r.target.Name)
	default:
		f = apperr.FieldKeyed("unit", "member.import_cells_named", "%d cells are named %q under %s: use the cell's code", len(cs), v, r.target.Name)
	}
	return nil, &f
}

// parseRow turns one row into a normalised, validated record.
func parseRow(t *sheet.Table, r sheet.Row, units *unitResolver, today date.Date) (*Member, []apperr.FieldError) {
	var errs []apperr.FieldError
	bad := func(f apperr.FieldError) {
		f.Row = r.Number
		errs = append(errs, f)
	}
	cell := func(name string) sheet.Cell {
		for i, c := range t.Columns {
			if c == name && i < len(r.Cells) {
				return r.Cells[i]
			}
		}
		return sheet.Cell{}
	}
	m := &Member{FullName: cell("full_name").Value, BiographyNo: cell("biography_no").Value, Phone: cell("phone").Value,
		Email: cell("email").Value, Position: cell("position").Value}
	m.CardNo = padNumber(cell("card_no"), 8)
	m.CitizenID = padNumber(cell("citizen_id"), 12)
	if c := cell("phone"); c.Numeric && len(c.Value) == 9 {
		m.Phone = "0" + c.Value // a number cell loses the leading 0 of 0912…
	}
	switch g := viet.Fold(cell("gender").Value); g {
	case "nam", "male", "m":
		m.Gender = Male
	case "nu", "female", "f":
		m.Gender = Female
	case "":
		bad(apperr.FieldKeyed("gender", "member.gender_required", "required (Nam or Nữ)"))
	default:
		bad(apperr.FieldKeyed("gender", "member.gender_unknown", "%q is not Nam or Nữ", cell("gender").Value))
	}
	for _, d := range []struct {
		field string
		dst   *date.Date
	}{{"birth_date", &m.BirthDate}, {"admitted_on", &m.AdmittedOn}, {"full_on", &m.FullOn}} {
		c := cell(d.field)
		if c.Value == "" {
			continue
		}
		v, ok := parseDateCell(c)
		if !ok {
			bad(apperr.FieldKeyed(d.field, "member.import_not_date", "%q is not a date (dd/mm/yyyy)", c.Value))
			continue
		}
		*d.dst = v
	}
	u, fe := units.resolve(cell("unit").Value)
	if fe != nil {
		bad(*fe)
	} else {
		m.UnitID, m.UnitName = u.ID, u.Name
	}
	Normalize(m)
	if m.FullName != "" && !viet.IsNameText(m.FullName) {
		// Text typed in a legacy font that was not recognised reads as
		// "Vò V¨n ViÖt": never store it as a name.
		bad(apperr.FieldKeyed("full_name", "member.import_legacy_font", "%q is not a name in Vietnamese letters; if the list was typed in a .VnTime or VNI font, set the column's font again or convert it to Unicode", m.FullName))
	}
	m.Status = ""
	for _, e := range Validate(m, today) {
		if e.Field == "status" || (e.Field == "gender" && m.Gender == "") || apperr.HasField(errs, e.Field) {
			continue
		}
		e.Row = r.Number
		errs = append(errs, e)
	}
	return m, errs
}

// padNumber restores the leading zeros a number cell lost.
func padNumber(c sheet.Cell, width int) string {
	v := digitsOnly(c.Value)
	if c.Numeric && allDigits(v) && len(v) < width {
		v = strings.Repeat("0", width-len(v)) + v
	}
	return v
}

func parseDateCell(c sheet.Cell) (date.Date, bool) {
	if c.Date {
		d, err := date.Parse(c.Value)
		return d, err == nil
	}
	y, mo, d, ok := sheet.ParseDate(c.Value)
	if !ok {
		return date.Date{}, false
	}
	v := date.New(y, timeMonth(mo), d)
	if date.Of(v.Time()) != v { // 31/02 and the like
		return date.Date{}, false
	}
	return v, true
}

// dropTrailingNotes removes the rows after the last member that hold none
// of a member's data: the signature block and notes at the foot of an
// office list. Such rows before the last member stay, to be reported.
func dropTrailingNotes(t *sheet.Table) ([]sheet.Row, []SkippedRow) {
	last := -1
	for i, r := range t.Rows {
		if hasEvidence(t, r) {
			last = i
		}
	}
	skipped := []SkippedRow{}
	for _, r := range t.Rows[last+1:] {
		skipped = append(skipped, SkippedRow{Row: r.Number, Reason: "a note below the list, not a member"})
	}
	return t.Rows[:last+1], skipped
}

// hasEvidence reports whether a row holds a value only a member row has:
// a gender, a date, or a card or citizen number.
func hasEvidence(t *sheet.Table, r sheet.Row) bool {
	for i, col := range t.Columns {
		if i >= len(r.Cells) || r.Cells[i].Value == "" {
			continue
		}
		c := r.Cells[i]
		switch col {
		case "gender":
			switch viet.Fold(c.Value) {
			case "nam", "nu", "male", "female":
				return true
			}
		case "birth_date", "admitted_on", "full_on":
			if _, ok := parseDateCell(c); ok {
				return true
			}
		case "card_no", "citizen_id":
			if allDigits(digitsOnly(c.Value)) {
				return true
			}
		}
	}
	return false
}
