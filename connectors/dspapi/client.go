package dspapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"
	"golang.org/x/time/rate"
)

// ClientOptions configure a Client. Zero values take the defaults.
type ClientOptions struct {
	// BaseURL is the API's scheme, host and optional path prefix
	// ("https://reporting.example.net"). Required.
	BaseURL string
	// HTTPClient makes the requests; default one with a 60s timeout.
	HTTPClient *http.Client
	// Header is added to every request (credentials, API version).
	Header http.Header
	// Rate overrides the profile's request rate.
	Rate Rate
	// MaxAttempts bounds the tries of one request; default 6.
	MaxAttempts int
	// BackoffBase and BackoffMax bound the jittered exponential wait
	// between tries; defaults 500ms and 30s.
	BackoffBase, BackoffMax time.Duration
	// MaxRetryAfter caps the wait a 429 or 503 asks for; default 5m.
	MaxRetryAfter time.Duration
	// BreakerFailures is the number of failed calls in a row (network
	// errors, 5xx) that opens the circuit breaker; default 5.
	BreakerFailures uint32
	// BreakerOpen is how long the breaker stays open before it lets one
	// call through; default 30s.
	BreakerOpen time.Duration
	// Now is the clock for Retry-After dates; default time.Now.
	Now func() time.Time
}

// Client fetches the pages of a reporting API described by a Profile:
// rate limited, retried with capped exponential backoff and jitter,
// honouring Retry-After, behind a circuit breaker. A Client is safe for
// concurrent use; its rate limit and breaker are shared by all callers.
type Client struct {
	p       *Profile
	base    *url.URL
	opts    ClientOptions
	limiter *rate.Limiter
	breaker *gobreaker.CircuitBreaker[*http.Response]
	rnd     func(int64) int64
}

// NewClient returns a client of the API that p describes at
// opts.BaseURL.
func NewClient(p *Profile, opts ClientOptions) (*Client, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	base, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("dspapi: base URL %q: want http(s)://host[/prefix]", opts.BaseURL)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if opts.Rate.PerSecond == 0 {
		opts.Rate = p.Rate
	}
	if opts.Rate.PerSecond <= 0 {
		opts.Rate = Rate{PerSecond: 5, Burst: 1}
	}
	if opts.Rate.Burst <= 0 {
		opts.Rate.Burst = 1
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 6
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = 500 * time.Millisecond
	}
	if opts.BackoffMax <= 0 {
		opts.BackoffMax = 30 * time.Second
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = 5 * time.Minute
	}
	if opts.BreakerFailures == 0 {
		opts.BreakerFailures = 5
	}
	if opts.BreakerOpen <= 0 {
		opts.BreakerOpen = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &Client{p: p, base: base, opts: opts, rnd: randInt64N,
		limiter: rate.NewLimiter(rate.Limit(opts.Rate.PerSecond), opts.Rate.Burst)}
	c.breaker = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        "dspapi " + p.Name + " " + base.Host,
		MaxRequests: 1,
		Timeout:     opts.BreakerOpen,
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= opts.BreakerFailures },
		// The API is up when it answers, even with a refusal; only
		// network errors and server errors count against it.
		IsSuccessful: func(err error) bool { return err == nil || !serverFailure(err) },
		// Being told to slow down says nothing about the API's health.
		IsExcluded: func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.Status == http.StatusTooManyRequests
		},
	})
	return c, nil
}

// Profile returns the client's profile.
func (c *Client) Profile() *Profile { return c.p }

func serverFailure(err error) bool {
	var se *StatusError
	var ne *NetError
	return (errors.As(err, &se) && (se.Status >= 500 || se.Status == http.StatusRequestTimeout)) || errors.As(err, &ne)
}

// PageRequest names one page of a window.
type PageRequest struct {
	Account string
	// From and To are the window's first and last day (inclusive).
	From, To time.Time
	// Cursor continues the window ("" for its first page): the previous
	// page's Page.NextCursor.
	Cursor string
}

// Fetch requests a page and returns it with its body open, ready to
// stream. Requests wait for the rate limiter; 429, 408, 5xx and network
// errors are retried up to MaxAttempts times, after the wait the API asks
// for (Retry-After, capped at MaxRetryAfter) or a jittered exponential
// backoff. An error wrapping ErrCursorExpired means the window must start
// over from its first page.
func (c *Client) Fetch(ctx context.Context, req PageRequest) (*Page, error) {
	u, err := c.url(req)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("dspapi: rate limit: %w", err)
		}
		resp, err := c.breaker.Execute(func() (*http.Response, error) { return c.do(ctx, u, req.Cursor != "") })
		if err == nil {
			return c.page(u, resp), nil
		}
		err = breakerErr(err)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, ErrCursorExpired) || !IsRetryable(err) {
			return nil, err
		}
		if attempt >= c.opts.MaxAttempts {
			return nil, fmt.Errorf("dspapi: gave up after %d attempts: %w", attempt, err)
		}
		wait := backoff(attempt, c.opts.BackoffBase, c.opts.BackoffMax, c.rnd)
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			wait = min(se.RetryAfter, c.opts.MaxRetryAfter)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// do makes one request; a non-2xx answer is an error with its body read
// and closed.
func (c *Client) do(ctx context.Context, u string, withCursor bool) (*http.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("dspapi: %w", err)
	}
	for k, vs := range c.opts.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	hr.Header.Set("Accept", "application/json")
	resp, err := c.opts.HTTPClient.Do(hr)
	if err != nil {
		return nil, &NetError{Method: http.MethodGet, URL: u, Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return resp, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	se := &StatusError{Method: http.MethodGet, URL: u, Status: resp.StatusCode, Body: strings.TrimSpace(string(body))}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.opts.Now()); ok {
			se.RetryAfter = d
		}
	}
	if withCursor && c.p.cursorExpired(resp.StatusCode) {
		return nil, fmt.Errorf("%w: %w", ErrCursorExpired, se)
	}
	return nil, se
}

// url builds the request URL of a page.
func (c *Client) url(req PageRequest) (string, error) {
	if req.Cursor != "" && c.p.Pagination == PaginationLinkHeader {
		ref, err := url.Parse(req.Cursor)
		if err != nil {
			return "", fmt.Errorf("dspapi: next-page URL %q: %w", req.Cursor, err)
		}
		u := c.base.ResolveReference(ref)
		if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
			return "", fmt.Errorf("dspapi: next-page URL %q leaves %s", req.Cursor, c.base.Host)
		}
		return u.String(), nil
	}
	u := *c.base
	u.Path = c.base.Path + strings.ReplaceAll(c.p.Path, "{account}", url.PathEscape(req.Account))
	u.RawPath = ""
	q := url.Values{}
	layout := c.p.dateFormat()
	to := req.To
	if c.p.ToExclusive {
		to = to.AddDate(0, 0, 1)
	}
	q.Set(c.p.Query.From, req.From.Format(layout))
	q.Set(c.p.Query.To, to.Format(layout))
	if c.p.Query.Account != "" {
		q.Set(c.p.Query.Account, req.Account)
	}
	if c.p.Query.PageSize != "" {
		q.Set(c.p.Query.PageSize, strconv.Itoa(c.p.PageSize))
	}
	if req.Cursor != "" {
		q.Set(c.p.Query.Cursor, req.Cursor)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (c *Client) page(u string, resp *http.Response) *Page {
	pg := &Page{URL: u, body: resp.Body}
	pg.dec = c.p.NewPageDecoder(readErrors{resp.Body})
	if c.p.Pagination == PaginationLinkHeader {
		if next := linkNext(resp.Header.Values("Link")); next != "" {
			pg.link = c.relative(u, next)
		}
	}
	return pg
}

// relative resolves a Link target against the request URL and returns it
// relative to the base URL's host when it stays there, so a checkpoint
// does not tie a sync to one address of the API.
func (c *Client) relative(reqURL, target string) string {
	r, err1 := url.Parse(reqURL)
	t, err2 := url.Parse(target)
	if err1 != nil || err2 != nil {
		return target
	}
	abs := r.ResolveReference(t)
	if abs.Scheme == c.base.Scheme && abs.Host == c.base.Host {
		return abs.RequestURI()
	}
	return abs.String() // refused by url() when used
}

// Page is one fetched page whose items are read one at a time.
type Page struct {
	// URL is the URL the page was fetched from.
	URL  string
	body io.ReadCloser
	dec  *PageDecoder
	link string
}

// Next returns the raw JSON of the next item, valid until the next call,
// or io.EOF after the last. An error other than io.EOF means the rest of
// the page cannot be read (it is retryable: see IsRetryable).
func (pg *Page) Next() (json.RawMessage, error) {
	raw, err := pg.dec.Next()
	if err != nil && err != io.EOF {
		var re *readError
		if errors.As(err, &re) {
			return nil, &NetError{Method: http.MethodGet, URL: pg.URL, Err: re.err}
		}
		return nil, fmt.Errorf("%s: %w", pg.URL, err)
	}
	return raw, err
}

// NextCursor returns the continuation of the window after this page, ""
// on the last page. For body-cursor pagination it is final once Next
// returned io.EOF.
func (pg *Page) NextCursor() string {
	if pg.link != "" {
		return pg.link
	}
	return pg.dec.NextCursor()
}

// Close closes the page's body.
func (pg *Page) Close() error { return pg.body.Close() }

// readErrors marks the body's read errors, other than io.EOF, so that the
// decoder tells them from bad JSON.
type readErrors struct{ r io.Reader }

func (r readErrors) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// linkNext returns the target of the rel="next" link of Link header
// values (RFC 8288), "" if none.
func linkNext(values []string) string {
	for _, v := range values {
		for len(v) > 0 {
			lt := strings.IndexByte(v, '<')
			if lt < 0 {
				break
			}
			gt := strings.IndexByte(v[lt:], '>')
			if gt < 0 {
				break
			}
			target := v[lt+1 : lt+gt]
			rest := v[lt+gt+1:]
			params := rest
			if next := strings.IndexByte(rest, '<'); next >= 0 {
				params = rest[:next]
			}
			for _, param := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(param), ",")), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(val), `"`)) {
					if strings.EqualFold(rel, "next") {
						return target
					}
				}
			}
			v = rest
		}
	}
	return ""
}
