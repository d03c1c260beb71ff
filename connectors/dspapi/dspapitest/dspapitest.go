package dspapitest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Shapes the server answers in: the built-in profiles' names.
const (
	ShapeCursorJSON = "cursor-json"
	ShapeLinkHeader = "link-header"
)

// Options configure a Server. Fault counters run over all requests,
// 1-based.
type Options struct {
	// Shape is ShapeCursorJSON (default) or ShapeLinkHeader.
	Shape string
	// ItemsPerDay is the number of items of each day; default 10.
	ItemsPerDay int
	// MalformedEvery makes every Nth item of a day bad, cycling through
	// the kinds of bad item (not an object, units an object, a bad ISRC,
	// no territory); 0: none.
	MalformedEvery int
	// TooManyEvery answers every Nth request 429 with the Retry-After
	// header RetryAfter (default "1").
	TooManyEvery int
	RetryAfter   string
	// ServerErrorEvery starts, at every Nth request, a burst of
	// ServerErrorBurst (default 1) answers 500.
	ServerErrorEvery, ServerErrorBurst int
	// BreakBodyEvery cuts every Nth page body off after its first item.
	BreakBodyEvery int
	// Fail, if set, answers a request with its status when it returns
	// one (not 0); for a dead API.
	Fail func(request int) int
}

// Server is the fake API. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL (http://127.0.0.1:port).
	URL  string
	srv  *httptest.Server
	opts Options

	mu         sync.Mutex
	requests   int
	burstLeft  int
	generation int
	statuses   map[int]int
}

// New starts a server; Close stops it.
func New(opts Options) *Server {
	if opts.Shape == "" {
		opts.Shape = ShapeCursorJSON
	}
	if opts.ItemsPerDay <= 0 {
		opts.ItemsPerDay = 10
	}
	if opts.RetryAfter == "" {
		opts.RetryAfter = "1"
	}
	if opts.ServerErrorBurst <= 0 {
		opts.ServerErrorBurst = 1
	}
	s := &Server{opts: opts, statuses: map[int]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/accounts/{account}/usage", s.serve)
	mux.HandleFunc("GET /v2/usage", s.serve)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// ExpireCursors makes every cursor issued so far invalid: using one is
// answered 410 Gone.
func (s *Server) ExpireCursors() {
	s.mu.Lock()
	s.generation++
	s.mu.Unlock()
}

// Requests returns the number of requests served.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Statuses returns how many answers had each status.
func (s *Server) Statuses() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]int, len(s.statuses))
	for k, v := range s.statuses {
		out[k] = v
	}
	return out
}

// Count returns the number of items of the days from..to (inclusive),
// and how many of them are bad.
func (s *Server) Count(from, to time.Time) (items, bad int) {
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		for i := 1; i <= s.opts.ItemsPerDay; i++ {
			items++
			if s.malformed(i) >= 0 {
				bad++
			}
		}
	}
	return items, bad
}

func (s *Server) malformed(i int) int {
	if s.opts.MalformedEvery <= 0 || i%s.opts.MalformedEvery != 0 {
		return -1
	}
	return (i / s.opts.MalformedEvery) % 4
}

func (s *Server) status(code int) {
	s.statuses[code]++
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	n := s.requests
	gen := s.generation
	fault := 0
	switch {
	case s.opts.Fail != nil && s.opts.Fail(n) != 0:
		fault = s.opts.Fail(n)
	case s.burstLeft > 0:
		s.burstLeft--
		fault = http.StatusInternalServerError
	case s.opts.ServerErrorEvery > 0 && n%s.opts.ServerErrorEvery == 0:
		s.burstLeft = s.opts.ServerErrorBurst - 1
		fault = http.StatusInternalServerError
	case s.opts.TooManyEvery > 0 && n%s.opts.TooManyEvery == 0:
		fault = http.StatusTooManyRequests
	}
	breakBody := s.opts.BreakBodyEvery > 0 && n%s.opts.BreakBodyEvery == 0
	if fault != 0 {
		s.status(fault)
	}
	s.mu.Unlock()
	if fault == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", s.opts.RetryAfter)
	}
	if fault != 0 {
		http.Error(w, `{"error":"injected"}`, fault)
		return
	}

	q := r.URL.Query()
	var account, fromKey, toKey, cursorKey, sizeKey string
	if s.opts.Shape == ShapeLinkHeader {
		account, fromKey, toKey, cursorKey, sizeKey = q.Get("account"), "from", "until", "page_token", "per_page"
	} else {
		account, fromKey, toKey, cursorKey, sizeKey = r.PathValue("account"), "start_date", "end_date", "cursor", "limit"
	}
	from, err1 := time.Parse(time.DateOnly, q.Get(fromKey))
	to, err2 := time.Parse(time.DateOnly, q.Get(toKey))
	size, err3 := strconv.Atoi(q.Get(sizeKey))
	if account == "" || err1 != nil || err2 != nil || err3 != nil || size <= 0 {
		s.fail(w, http.StatusBadRequest, "bad query")
		return
	}
	if s.opts.Shape == ShapeLinkHeader {
		to = to.AddDate(0, 0, -1) // exclusive end
	}
	offset := 0
	if c := q.Get(cursorKey); c != "" {
		g, off, ok := decodeCursor(c)
		if !ok {
			s.fail(w, http.StatusBadRequest, "bad cursor")
			return
		}
		if g < gen {
			s.fail(w, http.StatusGone, "cursor expired")
			return
		}
		offset = off
	}
	days := int(to.Sub(from)/(24*time.Hour)) + 1
	total := days * s.opts.ItemsPerDay
	if days <= 0 {
		total = 0
	}
	end := min(offset+size, total)
	items := make([]json.RawMessage, 0, max(end-offset, 0))
	for k := offset; k < end; k++ {
		day := from.AddDate(0, 0, k/s.opts.ItemsPerDay)
		items = append(items, s.item(account, day, k%s.opts.ItemsPerDay+1))
	}
	next := ""
	if end < total {
		next = encodeCursor(gen, end)
	}
	var body []byte
	if s.opts.Shape == ShapeLinkHeader {
		body, _ = json.Marshal(items)
		self := *r.URL
		self.RawQuery = ""
		if next != "" {
			nq := url.Values{"account": {account}, "from": {q.Get(fromKey)}, "until": {q.Get(toKey)},
				"per_page": {strconv.Itoa(size)}, "page_token": {next}}
			w.Header().Add("Link", fmt.Sprintf(`<%s?%s>; rel="first", <%s?%s>; rel="next"`,
				self.Path, url.Values{"account": {account}, "from": {q.Get(fromKey)}, "until": {q.Get(toKey)}}.Encode(),
				self.Path, nq.Encode()))
		}
	} else {
		page := struct {
			Data []json.RawMessage `json:"data"`
			Meta struct {
				NextCursor *string `json:"next_cursor"`
				Count      int     `json:"count"`
			} `json:"meta"`
		}{Data: items}
		if next != "" {
			page.Meta.NextCursor = &next
		}
		page.Meta.Count = len(items)
		body, _ = json.Marshal(page)
	}
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	s.status(http.StatusOK)
	s.mu.Unlock()
	if breakBody && len(items) > 1 {
		// Send the first item, then drop the connection.
		cut := strings.Index(string(body), string(items[0])) + len(items[0]) + 1
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body[:cut])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = w.Write(body)
}

func (s *Server) fail(w http.ResponseWriter, code int, msg string) {
	s.mu.Lock()
	s.status(code)
	s.mu.Unlock()
	http.Error(w, fmt.Sprintf(`{"error":%q}`, msg), code)
}

func encodeCursor(gen, offset int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", gen, offset))
}

func decodeCursor(c string) (gen, offset int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, false
	}
	g, o, found := strings.Cut(string(b), ":")
	gen, err1 := strconv.Atoi(g)
	offset, err2 := strconv.Atoi(o)
	return gen, offset, found && err1 == nil && err2 == nil && offset >= 0
}

// item returns the i-th (1-based) item of account's day.
func (s *Server) item(account string, day time.Time, i int) json.RawMessage {
	seq := (day.YearDay()*100 + i) % 100000
	units := (seq*7)%50 + 1
	milli := units * 36 // 0.0036 per unit
	amount := fmt.Sprintf("%d.%04d", milli/10000, milli%10000)
	id := fmt.Sprintf("%s-%s-%04d", account, day.Format("20060102"), i)
	isrc := fmt.Sprintf("GBABC%02d%05d", day.Year()%100, seq)
	upc := upcA(int64(seq))
	territory := []string{"GB", "US", "DE", "FR", "JP"}[i%5]
	currency := []string{"GBP", "USD", "EUR", "EUR", "JPY"}[i%5]
	if currency == "JPY" {
		amount = strconv.Itoa(units * 3)
	}
	date := day.Format(time.DateOnly)
	kind := s.malformed(i)
	if kind == 0 {
		return json.RawMessage(`"not an item"`)
	}
	if kind == 2 {
		isrc = "NOT-AN-ISRC"
	}
	var m map[string]any
	if s.opts.Shape == ShapeLinkHeader {
		amt, _ := strconv.ParseFloat(amount, 64)
		m = map[string]any{"item_id": id, "store": "Fake Store", "isrc": isrc, "upc": upc,
			"track_title": fmt.Sprintf("Song %d", seq), "mix": nil, "artist": "Artist A|Artist B",
			"label": "Label", "territory": territory, "currency": currency, "quantity": units,
			"net_amount": json.Number(strconv.FormatFloat(amt, 'f', -1, 64)), "start": date, "end": date,
			"usage_type": "PermanentDownload", "transaction": "sale"}
		if kind == 1 {
			m["quantity"] = map[string]any{"value": units}
		}
		if kind == 3 {
			delete(m, "territory")
		}
	} else {
		m = map[string]any{"id": id, "service": "Fake Stream",
			"track":   map[string]any{"isrc": isrc, "title": fmt.Sprintf("Song %d", seq), "artists": []string{"Artist A", "Artist B"}},
			"release": map[string]any{"upc": upc, "title": "Album"},
			"country": territory, "date": date,
			"usage":   map[string]any{"type": "stream", "plays": units, "tier": "premium"},
			"revenue": map[string]any{"amount": amount, "currency": currency}}
		if kind == 1 {
			m["usage"].(map[string]any)["plays"] = map[string]any{"value": units}
		}
		if kind == 3 {
			delete(m, "country")
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// upcA returns a 12-digit UPC-A with a correct check digit.
func upcA(n int64) string {
	d := fmt.Sprintf("0%010d", n%10000000000)
	sum := 0
	for k, c := range d {
		v := int(c - '0')
		if k%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return d + strconv.Itoa((10-sum%10)%10)
}
