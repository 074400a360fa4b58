package web

import "net/http"

func (s *Server) uiRoutes(mux *http.ServeMux) {
	s.handle(mux, "GET /{$}", "public", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><html lang=vi><title>Sổ tay</title><h1>Sổ tay</h1>"))
	})
}
