package ui

// The words of the attachments' housekeeping (store.Blobs.CollectBlobs,
// sotay files gc): {Vietnamese, English}.
func init() { mergeCatalog(filesCatalog) }

var filesCatalog = map[string][2]string{
	"audit_action.files.gc": {"Xóa tệp đính kèm không còn dùng", "Unused attachment files removed"},
	"audit_object.blob":     {"Nội dung tệp đính kèm", "Attachment content"},
}
