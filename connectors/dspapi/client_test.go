package dspapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/dspapi/dspapitest"
)

// fastRetries keeps tests quick: tiny backoffs and Retry-After waits.
func fastRetries(base string) ClientOptions {
	return ClientOptions{BaseURL: base, Rate: Rate{PerSecond: 10000, Burst: 100}, BackoffBase: time.Millisecond,
		BackoffMax: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Millisecond, MaxAttempts: 6}
}

// testClient returns a client, with fastRetries, of the API at base
// described by the built-in profile shape, its page size set when
// pageSize > 0.
func testClient(t *testing.T, shape string, pageSize int, base string) *Client {
	t.Helper()
	p := *builtin(t, shape)
	if pageSize > 0 {
		p.PageSize = pageSize
	}
	c, err := NewClient(&p, fastRetries(base))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readWindow pages through a window and returns the raw items.
func readWindow(t *testing.T, c *Client, account string, from, to time.Time) ([]string, int, error) {
	t.Helper()
	var items []string
	cursor, pages := "", 0
	for {
		pg, err := c.Fetch(context.Background(), PageRequest{Account: account, From: from, To: to, Cursor: cursor})
		if err != nil {
			return items, pages, err
		}
		pages++
		for {
			raw, err := pg.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				pg.Close()
				return items, pages, err
			}
			items = append(items, string(raw))
		}
		pg.Close()
		if cursor = pg.NextCursor(); cursor == "" {
			return items, pages, nil
		}
	}
}

func TestClientPaginatesBothStyles(t *testing.T) {
	for _, shape := range []string{dspapitest.ShapeCursorJSON, dspapitest.ShapeLinkHeader} {
		t.Run(shape, func(t *testing.T) {
			srv := dspapitest.New(dspapitest.Options{Shape: shape, ItemsPerDay: 7})
			defer srv.Close()
			c := testClient(t, shape, 4, srv.URL)
			from, to := d("2026-03-01"), d("2026-03-03")
			items, pages, err := readWindow(t, c, "acct 1/x", from, to)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := srv.Count(from, to)
			if len(items) != want || pages != (want+3)/4 {
				t.Fatalf("%d items in %d pages, want %d in %d", len(items), pages, want, (want+3)/4)
			}
			seen := map[string]bool{}
			for _, it := range items {
				if seen[it] {
					t.Fatalf("item served twice: %s", it)
				}
				seen[it] = true
			}
		})
	}
}

func TestClientRetriesTooManyRequestsAndServerErrors(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{ItemsPerDay: 20, TooManyEvery: 3, ServerErrorEvery: 5, ServerErrorBurst: 2})
	defer srv.Close()
	c := testClient(t, "cursor-json", 3, srv.URL)
	items, _, err := readWindow(t, c, "a", d("2026-03-01"), d("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	st := srv.Statuses()
	if len(items) != 40 || st[429] == 0 || st[500] == 0 {
		t.Fatalf("%d items, statuses %v: want 40 items despite 429s and 500s", len(items), st)
	}
}

func TestClientGivesUpAfterMaxAttempts(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{Fail: func(int) int { return http.StatusBadGateway }})
	defer srv.Close()
	opts := fastRetries(srv.URL)
	opts.MaxAttempts, opts.BreakerFailures = 3, 100
	c, err := NewClient(builtin(t, "cursor-json"), opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Fetch(context.Background(), PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusBadGateway || !IsRetryable(err) || srv.Requests() != 3 {
		t.Fatalf("err %v after %d requests: want a 502 StatusError after 3", err, srv.Requests())
	}
}

func TestCircuitBreakerStopsHammeringADeadAPI(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{Fail: func(int) int { return http.StatusServiceUnavailable }})
	defer srv.Close()
	opts := fastRetries(srv.URL)
	opts.MaxAttempts, opts.BreakerFailures, opts.BreakerOpen = 50, 4, time.Hour
	c, err := NewClient(builtin(t, "cursor-json"), opts)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, err = c.Fetch(context.Background(), PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")})
		if !errors.Is(err, ErrBreakerOpen) {
			t.Fatalf("err %v, want ErrBreakerOpen", err)
		}
	}
	if n := srv.Requests(); n != 4 {
		t.Fatalf("the dead API got %d requests, want 4 (then the breaker opened)", n)
	}
}

func TestClientRefusesPermanentErrorsAtOnce(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{Fail: func(int) int { return http.StatusUnauthorized }})
	defer srv.Close()
	c := testClient(t, "cursor-json", 0, srv.URL)
	_, err := c.Fetch(context.Background(), PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")})
	if IsRetryable(err) || srv.Requests() != 1 || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err %v after %d requests", err, srv.Requests())
	}
}

func TestExpiredCursor(t *testing.T) {
	for _, shape := range []string{dspapitest.ShapeCursorJSON, dspapitest.ShapeLinkHeader} {
		t.Run(shape, func(t *testing.T) {
			srv := dspapitest.New(dspapitest.Options{Shape: shape, ItemsPerDay: 10})
			defer srv.Close()
			c := testClient(t, shape, 4, srv.URL)
			req := PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")}
			pg, err := c.Fetch(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for {
				if _, err := pg.Next(); err != nil {
					break
				}
			}
			pg.Close()
			req.Cursor = pg.NextCursor()
			srv.ExpireCursors()
			if _, err := c.Fetch(context.Background(), req); !errors.Is(err, ErrCursorExpired) || IsRetryable(err) {
				t.Fatalf("err %v, want ErrCursorExpired", err)
			}
		})
	}
}

func TestBodyBreakingOffIsARetryableError(t *testing.T) {
	srv := dspapitest.New(dspapitest.Options{ItemsPerDay: 10, BreakBodyEvery: 1})
	defer srv.Close()
	c := testClient(t, "cursor-json", 0, srv.URL)
	pg, err := c.Fetch(context.Background(), PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	n := 0
	for {
		_, err = pg.Next()
		if err != nil {
			break
		}
		n++
	}
	if n != 1 || err == io.EOF || !IsRetryable(err) {
		t.Fatalf("%d items then %v: want 1 item then a retryable error", n, err)
	}
}

func TestLinkToAnotherHostIsRefused(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<http://127.0.0.2:1/v2/usage?page_token=x>; rel="next"`)
		_, _ = w.Write([]byte(`[]`))
	}))
	defer api.Close()
	c := testClient(t, "link-header", 0, api.URL)
	req := PageRequest{Account: "a", From: d("2026-03-01"), To: d("2026-03-01")}
	pg, err := c.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	pg.Close()
	req.Cursor = pg.NextCursor()
	if _, err := c.Fetch(context.Background(), req); err == nil || !strings.Contains(err.Error(), "leaves") {
		t.Fatalf("following a link to another host: %v", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"Fri, 20 Mar 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Friday, 20-Mar-26 12:01:00 GMT", time.Minute, true},
		{"Fri, 20 Mar 2026 11:00:00 GMT", 0, true},
		{"99999999", 24 * time.Hour, true},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	top := func(n int64) int64 { return n - 1 }
	bottom := func(int64) int64 { return 0 }
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 10: time.Second} {
		if got := backoff(attempt, 100*time.Millisecond, time.Second, top); got != want {
			t.Errorf("backoff(%d) at most %v, want %v", attempt, got, want)
		}
		if got := backoff(attempt, 100*time.Millisecond, time.Second, bottom); got <= 0 || got > time.Microsecond {
			t.Errorf("backoff(%d) at least %v", attempt, got)
		}
	}
}

func TestLinkNext(t *testing.T) {
	cases := map[string]string{
		`<https://a/x?p=2>; rel="next"`:                 "https://a/x?p=2",
		`</x?p=1>; rel="first", </x?p=2,3>; rel="next"`: "/x?p=2,3",
		`</x?p=9>; rel=last`:                            "",
		`</x?p=3>; title="a; b"; rel="prev next"`:       "/x?p=3",
		`garbage`:            "",
		`</x?p=4>; REL=NEXT`: "/x?p=4",
		`</x?p=5>; rel="first",</x?p=6>;rel="next",</x?p=7>;rel=last`: "/x?p=6",
	}
	for in, want := range cases {
		if got := linkNext([]string{in}); got != want {
			t.Errorf("linkNext(%q) = %q, want %q", in, got, want)
		}
	}
}
