package ui

// The audit chain's verification page (admin_verify.html), words added
// with the chaining after the commit: {Vietnamese, English}.
func init() { mergeCatalog(auditChainCatalog) }

var auditChainCatalog = map[string][2]string{
	"auditchain.pending": {"Mục đã ghi, đang chờ nối vào chuỗi (máy chủ nối trong vài giây)", "Entries written, waiting to be linked into the chain (the server links them within seconds)"},
}
