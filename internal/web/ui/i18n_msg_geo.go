package ui

// Messages of the zone of an outbreak focus (internal/geo), by key:
// {Vietnamese, English}. Rings and positions are counted from 1.
func init() { mergeCatalog(msgGeoCatalog) }

var msgGeoCatalog = map[string][2]string{
	"geo.not_json": {
		`Vùng khoanh không phải GeoJSON hợp lệ: hãy dán một Polygon, ví dụ {"type": "Polygon", "coordinates": [[[105.9, 20.7], …]]}`,
		`the zone is not valid GeoJSON: paste a Polygon such as {"type": "Polygon", "coordinates": [[[105.9, 20.7], …]]}`},
	"geo.not_object": {
		`Vùng khoanh phải là một đối tượng GeoJSON, ví dụ {"type": "Polygon", "coordinates": …}`,
		`the zone must be a GeoJSON object such as {"type": "Polygon", "coordinates": …}`},
	"geo.no_type": {
		`Vùng khoanh thiếu "type" của GeoJSON: phải là một Polygon`,
		`the zone has no GeoJSON "type": it must be a Polygon`},
	"geo.not_polygon": {
		"Vùng khoanh phải là một Polygon (đa giác), không phải %s",
		"the zone must be a Polygon, not %s"},
	"geo.feature_count": {
		"FeatureCollection có %d đối tượng: chỉ đưa một đa giác",
		"the FeatureCollection holds %d features: give one polygon"},
	"geo.no_geometry": {
		"Feature không có hình (geometry): hãy vẽ hoặc dán một đa giác",
		"the Feature has no geometry: draw or paste a polygon"},
	"geo.no_coordinates": {
		`Đa giác thiếu "coordinates" (tọa độ)`,
		`the polygon has no "coordinates"`},
	"geo.bad_coordinates": {
		`"coordinates" của đa giác phải là danh sách các vòng, mỗi vòng là danh sách các điểm [kinh độ, vĩ độ]`,
		`the polygon's "coordinates" must be a list of rings, each a list of [longitude, latitude] positions`},
	"geo.no_rings": {
		"Đa giác không có vòng nào: cần ít nhất đường bao ngoài",
		"the polygon has no rings: give at least its outer boundary"},
	"geo.too_many_points": {
		"Vùng khoanh có %d điểm, quá mức %d điểm cho phép: hãy đơn giản hóa",
		"the zone has %d points, more than the %d allowed: simplify it"},
	"geo.bad_ring": {
		"Vòng %d không phải danh sách các điểm [kinh độ, vĩ độ]",
		"ring %d is not a list of [longitude, latitude] positions"},
	"geo.bad_position": {
		"Vòng %d, điểm %d không phải cặp số [kinh độ, vĩ độ]",
		"ring %d, position %d is not [longitude, latitude] numbers"},
	"geo.not_finite": {
		"Vòng %d, điểm %d có số quá lớn, không thể là tọa độ",
		"ring %d, position %d holds a number too large to be a coordinate"},
	"geo.outside_vietnam": {
		"Vòng %d, điểm %d (kinh độ %s, vĩ độ %s) nằm ngoài Việt Nam (kinh độ 102 đến 117,9, vĩ độ 6 đến 23,5): có phải kinh độ và vĩ độ bị đảo chỗ?",
		"ring %d, position %d (longitude %s, latitude %s) is outside Vietnam (longitude 102 to 117.9, latitude 6 to 23.5): are longitude and latitude swapped?"},
	"geo.ring_short": {
		"Vòng %d có %d điểm: một vòng cần ít nhất 4 điểm, điểm cuối lặp lại điểm đầu",
		"ring %d has %d positions: a ring needs at least 4, its last repeating its first"},
	"geo.ring_open": {
		"Vòng %d chưa khép kín: điểm cuối phải trùng điểm đầu",
		"ring %d is not closed: its last position must repeat its first"},
	"geo.ring_flat": {
		"Vòng %d có ít hơn 3 điểm khác nhau: không bao được vùng nào",
		"ring %d has fewer than 3 different positions: it encloses nothing"},
	"geo.self_intersection": {
		"Vòng %d tự cắt hoặc tự chạm: đoạn %d gặp đoạn %d (đoạn n đi từ điểm n đến điểm kế tiếp)",
		"ring %d crosses or touches itself: segment %d meets segment %d (segment n goes from position n to the next)"},
	"geo.rings_meet": {
		"Vòng %d và vòng %d cắt hoặc chạm nhau: đoạn %d của vòng thứ nhất gặp đoạn %d của vòng thứ hai (đoạn n đi từ điểm n đến điểm kế tiếp)",
		"ring %d and ring %d cross or touch: segment %d of the first meets segment %d of the second (segment n goes from position n to the next)"},
	"geo.hole_outside": {
		"Vòng %d là lỗ thủng (mọi vòng sau vòng đầu đều là lỗ) nhưng nằm ngoài đường bao ngoài",
		"ring %d is a hole (every ring after the first is) but lies outside the outer ring"},
	"geo.hole_in_hole": {
		"Vòng %d nằm trong vòng %d: các lỗ không được lồng nhau",
		"ring %d lies inside ring %d: holes may not nest"},
}
