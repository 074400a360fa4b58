package ui

// Messages of the city dashboards' roll-ups (the meeting compliance by
// child unit), by key: {Vietnamese, English}.
func init() { mergeCatalog(msgGridCatalog) }

var msgGridCatalog = map[string][2]string{
	"meeting.by": {"Tham số by chỉ nhận giá trị child (tổng hợp theo đơn vị trực thuộc) hoặc để trống", "by=child or nothing"},
}
