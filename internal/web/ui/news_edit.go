package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/sotay-vn/sotay/internal/apperr"
	"github.com/sotay-vn/sotay/internal/doc"
	"github.com/sotay-vn/sotay/internal/web/httpx"
	"golang.org/x/text/unicode/norm"
)

// Posting, editing and featuring news by clicking: an office, a committee
// or a cell officer posts news to its subtree (the audience is a unit
// picked by name), edits it and features it; featured news is shown first
// on the news list and the handbook. The service decides who may.

// newsFormPage is the form to post news (News is nil) or to edit it.
type newsFormPage struct {
	view
	News  *doc.Document
	Units []doc.UnitRef
	// Values are the fields as typed; Errors the messages beside them;
	// Message one for the whole form.
	Values  map[string]string
	Errors  map[string]string
	Message string
}

// Action is where the form posts.
func (p *newsFormPage) Action() string {
	if p.News == nil {
		return "/tin-tuc/moi"
	}
	return "/tin-tuc/" + strconv.FormatInt(p.News.ID, 10) + "/sua"
}

// newsFormFields are the fields read from the form.
var newsFormFields = []string{"title", "category", "summary", "body", "audience_unit_id", "featured", "version"}

func (s *Handler) newsForm(r *http.Request) (*newsFormPage, error) {
	actor := httpx.ActorFrom(r)
	if !actor.HasAny(doc.PublishNews) {
		return nil, apperr.Keyed(apperr.NotFound, "page.no_page", "no page at %s", r.URL.Path)
	}
	units, err := s.publishUnits(r.Context(), actor, doc.PublishNews)
	if err != nil {
		return nil, err
	}
	return &newsFormPage{Units: units, Values: map[string]string{}, Errors: map[string]string{}}, nil
}

func (s *Handler) uiNewsNew(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "news_form", s.newsForm, func(p *newsFormPage) {
		if len(p.Units) > 0 {
			p.Values["audience_unit_id"] = strconv.FormatInt(p.Units[0].ID, 10)
		}
	})
}

// postedNewsForm loads a news form's page through load, then reads the
// posted form into its values.
func postedNewsForm(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*newsFormPage, error)) (*newsFormPage, error) {
	p, err := load(r)
	if err == nil {
		err = postedNews(w, r, p)
	}
	return p, err
}

// postedNews reads the form into p.Values.
func postedNews(w http.ResponseWriter, r *http.Request, p *newsFormPage) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	for _, f := range newsFormFields {
		p.Values[f] = norm.NFC.String(r.PostForm.Get(f))
	}
	return nil
}

// refused re-renders the form with the service's messages beside their
// fields; anything but a refusal of the form's content is returned.
func (s *Handler) refusedNews(w http.ResponseWriter, r *http.Request, p *newsFormPage, err error) error {
	e, ok := apperr.As(err)
	if !ok || !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	for _, fe := range e.Fields {
		field := fe.Field
		if strings.HasPrefix(field, "audience") {
			field = "audience_unit_id"
		}
		if _, ok := p.Errors[field]; !ok {
			p.Errors[field] = fieldText(langOf(r), fe)
		}
	}
	if len(e.Fields) == 0 {
		p.Message = errText(langOf(r), e)
	}
	status := http.StatusUnprocessableEntity
	if apperr.Is(err, apperr.Conflict) {
		status = http.StatusConflict
	}
	s.render(w, r, status, "news_form", p)
	return nil
}

func (s *Handler) uiNewsCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := postedNewsForm(w, r, s.newsForm)
	if err != nil {
		return err
	}
	v := p.Values
	in := doc.NewsInput{Title: v["title"], Category: v["category"], Summary: v["summary"], Body: v["body"], Featured: v["featured"] == "1"}
	in.Audience.UnitID, _ = strconv.ParseInt(v["audience_unit_id"], 10, 64)
	n, err := s.Docs.CreateNews(r.Context(), httpx.ActorFrom(r), in)
	if err != nil {
		return s.refusedNews(w, r, p, err)
	}
	httpx.SeeOther(w, r, "/tin-tuc/"+strconv.FormatInt(n.ID, 10)+"?da=posted")
	return nil
}

// editableNews loads a piece of news the actor may edit; anyone else
// finds no such page.
func (s *Handler) editableNews(r *http.Request) (*newsFormPage, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	ctx, actor := r.Context(), httpx.ActorFrom(r)
	n, err := s.Docs.GetNews(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.Docs.MayEditNews(ctx, actor, n); err != nil {
		return nil, err
	} else if !ok {
		return nil, apperr.Keyed(apperr.NotFound, "page.no_page", "no page at %s", r.URL.Path)
	}
	return &newsFormPage{News: n, Values: map[string]string{}, Errors: map[string]string{}}, nil
}

func (s *Handler) uiNewsEdit(w http.ResponseWriter, r *http.Request) error {
	return showForm(s, w, r, "news_form", s.editableNews, func(p *newsFormPage) {
		n := p.News
		p.Values = map[string]string{"title": n.Title, "category": n.Category, "summary": n.Summary, "body": n.Body,
			"version": strconv.Itoa(n.Version)}
		if n.Featured {
			p.Values["featured"] = "1"
		}
	})
}

func (s *Handler) uiNewsUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := postedNewsForm(w, r, s.editableNews)
	if err != nil {
		return err
	}
	v := p.Values
	v["category"] = p.News.Category // not edited
	title, summary, body, featured := v["title"], v["summary"], v["body"], v["featured"] == "1"
	in := doc.ReviseInput{Title: &title, Summary: &summary, Body: &body, Featured: &featured, Kind: doc.KindNews}
	in.Version, _ = strconv.Atoi(v["version"])
	if _, err := s.Docs.Revise(r.Context(), httpx.ActorFrom(r), p.News.ID, in); err != nil {
		return s.refusedNews(w, r, p, err)
	}
	httpx.SeeOther(w, r, "/tin-tuc/"+strconv.FormatInt(p.News.ID, 10)+"?da=edited")
	return nil
}

// uiNewsFeature features a piece of news (on=1) or stops featuring it.
func (s *Handler) uiNewsFeature(w http.ResponseWriter, r *http.Request) error {
	id, err := postedID(w, r, "id")
	if err != nil {
		return err
	}
	on := r.PostForm.Get("on") == "1"
	if _, err := s.Docs.SetFeatured(r.Context(), httpx.ActorFrom(r), id, on); err != nil {
		return err
	}
	notice := "unfeatured"
	if on {
		notice = "featured"
	}
	httpx.SeeOther(w, r, "/tin-tuc/"+strconv.FormatInt(id, 10)+"?da="+notice)
	return nil
}
