package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// metrics is a small Prometheus text-format registry: request counts and a
// latency histogram per route. It needs no dependency.
type metrics struct {
	mu       sync.Mutex
	requests map[string]uint64
	buckets  map[string][]uint64
	sums     map[string]float64
	counts   map[string]uint64
	started  time.Time
	// replicaLag, when heavy reads go to a replica, reads its lag.
	replicaLag func(context.Context) (time.Duration, error)
}

var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

func newMetrics() *metrics {
	return &metrics{requests: map[string]uint64{}, buckets: map[string][]uint64{}, sums: map[string]float64{}, counts: map[string]uint64{}, started: time.Now()}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	if status == 0 {
		status = 200
	}
	route = strings.ReplaceAll(route, `"`, "")
	key := fmt.Sprintf(`method="%s",route="%s",status="%d"`, method, route, status)
	hkey := fmt.Sprintf(`route="%s"`, route)
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[key]++
	b := m.buckets[hkey]
	if b == nil {
		b = make([]uint64, len(latencyBuckets))
		m.buckets[hkey] = b
	}
	for i, le := range latencyBuckets {
		if sec <= le {
			b[i]++
		}
	}
	m.sums[hkey] += sec
	m.counts[hkey]++
}

func (m *metrics) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	// Asked before the lock: a slow replica must not hold up the requests
	// that record their figures.
	if m.replicaLag != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		lag, err := m.replicaLag(ctx)
		cancel()
		fmt.Fprintln(w, "# HELP sotay_replica_lag_seconds How far the read replica's replay is behind what it received (0: caught up).")
		fmt.Fprintln(w, "# TYPE sotay_replica_lag_seconds gauge")
		fmt.Fprintln(w, "# TYPE sotay_replica_up gauge")
		if err != nil {
			fmt.Fprintln(w, "sotay_replica_up 0")
		} else {
			fmt.Fprintln(w, "sotay_replica_up 1")
			fmt.Fprintf(w, "sotay_replica_lag_seconds %g\n", lag.Seconds())
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP sotay_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE sotay_http_requests_total counter")
	for _, k := range sortedKeys(m.requests) {
		fmt.Fprintf(w, "sotay_http_requests_total{%s} %d\n", k, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP sotay_http_request_duration_seconds HTTP request latency.")
	fmt.Fprintln(w, "# TYPE sotay_http_request_duration_seconds histogram")
	for _, k := range sortedKeys(m.counts) {
		for i, le := range latencyBuckets {
			fmt.Fprintf(w, "sotay_http_request_duration_seconds_bucket{%s,le=\"%g\"} %d\n", k, le, m.buckets[k][i])
		}
		fmt.Fprintf(w, "sotay_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", k, m.counts[k])
		fmt.Fprintf(w, "sotay_http_request_duration_seconds_sum{%s} %g\n", k, m.sums[k])
		fmt.Fprintf(w, "sotay_http_request_duration_seconds_count{%s} %d\n", k, m.counts[k])
	}
	fmt.Fprintln(w, "# TYPE sotay_uptime_seconds gauge")
	fmt.Fprintf(w, "sotay_uptime_seconds %g\n", time.Since(m.started).Seconds())
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
