package scoring

// MarkPaged makes r a paged answer (?limit=&cursor=), as Results does.
func MarkPaged(r *Results) { r.paged = true }
