#!/bin/sh
# demo.sh: every list of the demo district over HTTP, first and next page,
# CPU per request (bench/listcpu), for the district office, the commune
# Phú Túc's committee, the cell officer of Kim Lân and a member of that
# cell (the demo accounts); "page:" lines are the HTML pages (the bearer
# token signs them in too). A sotay server with the demo loaded must run:
#
#	sotay serve --demo --addr 127.0.0.1:18181 --db postgres://…/DBNAME &   # or --data DIR
#	bench/listcpu/demo.sh PID [DBNAME] [LABEL]      # from the repository's root
#
# Extra flags for listcpu go in LISTCPU_FLAGS (e.g. "-runs 20 -per 5").
set -u
status=0
pid=$1 db=${2:-} label=${3:-}
url=${SOTAY_URL:-http://127.0.0.1:18181}
run() { user=$1; shift; go run ./bench/listcpu -url "$url" -pid "$pid" -db "$db" -user "$user" -label "$label" -next ${LISTCPU_FLAGS:-} "$@" || status=1; }
year=$(date +%Y)
# The district is the first root; Phú Túc and the cell of Kim Lân are found by name.
tok=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"vanphong\",\"password\":\"${SOTAY_DEMO_PASSWORD:-sotay-demo-2026}\"}" "$url/api/v1/session" | sed 's/.*"token":"\([^"]*\)".*/\1/')
id() { curl -s -H "Authorization: Bearer $tok" "$url/api/v1/units?$1" | sed 's/^{"items":\[{"id":\([0-9]*\).*/\1/'; }
d=$(id "limit=1")
c=$(id "parent=$d&q=Ph%C3%BA%20T%C3%BAc&limit=1")
k=$(id "parent=$c&q=Kim%20L%C3%A2n&limit=1")
run vanphong \
	"members district=/api/v1/members?unit=$d&limit=50" \
	"members deceased=/api/v1/members?unit=$d&status=deceased&limit=50" \
	"members as_of=/api/v1/members?unit=$d&as_of=2020-06-30&limit=50" \
	"members due-full=/api/v1/members/due-full?unit=$d" \
	"tasks district=/api/v1/tasks?unit=$d&limit=50" \
	"tasks open=/api/v1/tasks?unit=$d&state=open&limit=50" \
	"tasks overdue=/api/v1/tasks?unit=$d&state=overdue&limit=50" \
	"tasks done=/api/v1/tasks?unit=$d&state=done&limit=50" \
	"tasks by due=/api/v1/tasks?unit=$d&order=due&limit=50" \
	"documents=/api/v1/documents?limit=50" \
	"news=/api/v1/news?limit=50" \
	"notifications=/api/v1/notifications?limit=50" \
	"audit district=/api/v1/audit?unit=$d&limit=50" \
	"meetings district=/api/v1/units/$d/meetings" \
	"frameworks=/api/v1/frameworks?unit=$d&year=$year" \
	"conferences=/api/v1/conferences?limit=50" \
	"outbreaks=/api/v1/outbreaks?unit=$d&limit=50" \
	"report requests=/api/v1/report-requests?unit=$d&limit=50" \
	"units=/api/v1/units?parent=$d&limit=50" \
	"search=/api/v1/search?q=nghi%20quyet" \
	"page: home=/" \
	"page: members=/don-vi/$d/dang-vien" \
	"page: members search=/don-vi/$d/dang-vien?q=nguyen" \
	"page: unit=/don-vi/$d" \
	"page: task board=/don-vi/$d/cong-viec" \
	"page: my tasks=/cong-viec" \
	"page: tasks of the unit=/cong-viec/don-vi" \
	"page: meetings=/don-vi/$c/sinh-hoat" \
	"page: library=/van-ban" \
	"page: news=/tin-tuc" \
	"page: inbox=/thong-bao" \
	"page: four-good=/chi-bo-4-tot" \
	"page: reports=/bao-cao" \
	"page: conferences=/hoi-nghi" \
	"page: outbreaks=/o-dich" \
	"page: outbreak board=/o-dich/bang" \
	"page: accounts=/quan-tri/tai-khoan" \
	"page: audit=/quan-tri/nhat-ky" \
	"page: search=/tim-kiem?q=nghi%20quyet"
run danguy.phutuc \
	"members commune=/api/v1/members?unit=$c&limit=50" \
	"tasks commune=/api/v1/tasks?unit=$c&limit=50" \
	"meetings commune=/api/v1/units/$c/meetings"
run bithu.phutuc \
	"members cell=/api/v1/members?unit=$k&limit=50" \
	"documents unread=/api/v1/documents?unread=true&limit=50" \
	"notifications=/api/v1/notifications?limit=50"
run dangvien \
	"documents=/api/v1/documents?limit=50" \
	"documents unread=/api/v1/documents?unread=true&limit=50" \
	"notifications=/api/v1/notifications?limit=50" \
	"news=/api/v1/news?limit=50" \
	"page: handbook=/so-tay" \
	"page: library=/van-ban" \
	"page: inbox=/thong-bao"
exit $status
