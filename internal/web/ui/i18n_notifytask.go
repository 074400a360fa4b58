package ui

import "fmt"

// The texts of the task notices in the inbox and the settings
// (internal/task/notices.go, templates/notifications.html,
// notification_settings.html), and of the tabs "accountable" and "issued"
// as lists (task_mine.go).
func init() {
	for k, v := range notifyTaskCatalog {
		if _, dup := catalog[k]; dup {
			panic(fmt.Sprintf("web: catalogue key %q defined twice", k))
		}
		catalog[k] = v
	}
}

var notifyTaskCatalog = map[string][2]string{
	"kind_of.task_handed_back": {"Việc đã giao bị trả lại hoặc chuyển lên", "Issued task returned or escalated"},
	"tgroup.done":              {"Đã hoàn thành", "Done"},
}
