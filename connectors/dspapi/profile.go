package dspapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

//go:embed profiles/*.json
var builtinFS embed.FS

// Pagination styles of a profile.
const (
	// PaginationBodyCursor: the body names the next page's cursor (at
	// Profile.NextCursor), sent back in the query parameter Query.Cursor.
	PaginationBodyCursor = "body-cursor"
	// PaginationLinkHeader: the next page is the URL of the Link response
	// header with rel="next" (RFC 8288).
	PaginationLinkHeader = "link-header"
)

// ErrInvalidProfile is wrapped by every profile validation error.
var ErrInvalidProfile = errors.New("dspapi: invalid profile")

// Profile describes one paginated JSON reporting API as data. See the
// package documentation for the format.
type Profile struct {
	// Name identifies the profile ("cursor-json").
	Name string `json:"name"`
	// Description says which APIs the profile reads.
	Description string `json:"description,omitempty"`
	// DSP is the service name for items whose dsp field is empty or
	// unmapped.
	DSP string `json:"dsp,omitempty"`
	// Path is the URL path of the usage endpoint, relative to the base
	// URL; "{account}" is replaced by the escaped account id.
	Path string `json:"path"`
	// Query names the query parameters.
	Query Query `json:"query"`
	// ToExclusive says the API's end date is the day after the window's
	// last day.
	ToExclusive bool `json:"to_exclusive,omitempty"`
	// DateFormat is the Go layout of the window's dates; default
	// "2006-01-02".
	DateFormat string `json:"date_format,omitempty"`
	// PageSize is the number of items asked for per page.
	PageSize int `json:"page_size"`
	// Pagination is PaginationBodyCursor or PaginationLinkHeader.
	Pagination string `json:"pagination"`
	// Items is the dotted path of the items array in the body; "" means
	// the body is the array.
	Items string `json:"items"`
	// NextCursor is the dotted path of the next page's cursor in the body
	// (body-cursor pagination). Null, "" or absent: last page.
	NextCursor string `json:"next_cursor,omitempty"`
	// ItemID is the dotted path of an item's own id, if the API has one.
	ItemID string `json:"item_id,omitempty"`
	// CursorExpiredStatus lists the HTTP statuses by which the API says a
	// cursor or page token is no longer valid; default [410].
	CursorExpiredStatus []int `json:"cursor_expired_status,omitempty"`
	// Rate is the request rate the API allows.
	Rate Rate `json:"rate"`
	// Decimal is the decimal separator of amounts given as strings; "" is
	// ".". JSON numbers always use ".".
	Decimal string `json:"decimal,omitempty"`
	// Fields maps validate.Line fields (FieldNames) to dotted paths in an
	// item. A path whose value is an array of strings (artists) gives the
	// values joined by '|'.
	Fields map[string]string `json:"fields"`

	fields []fieldPath // resolved Fields, in FieldNames order
	itemID []string
}

// Query names the query parameters of a request. From and To are
// required; Account is needed when Path has no {account}.
type Query struct {
	Account  string `json:"account,omitempty"`
	From     string `json:"from"`
	To       string `json:"to"`
	Cursor   string `json:"cursor,omitempty"`
	PageSize string `json:"page_size,omitempty"`
}

// Rate is a request rate: PerSecond requests per second on average,
// Burst at once.
type Rate struct {
	PerSecond float64 `json:"per_second"`
	Burst     int     `json:"burst"`
}

// Field names a profile maps (the validate.Line cells, lower snake case).
var FieldNames = []string{
	"dsp", "isrc", "upc", "iswc", "proprietary_id", "track_title", "version_title", "artists",
	"release_title", "label", "territory", "currency", "units", "amount", "period_start", "period_end",
	"use_type", "commercial_model", "sale_type",
}

type fieldPath struct {
	field int // index into FieldNames
	path  []string
}

// ParseProfile reads one profile and validates it. Unknown keys are
// errors, so typing mistakes do not go unnoticed.
func ParseProfile(data []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidProfile, err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks the profile and resolves its paths. ParseProfile calls
// it; call it on a Profile built in Go.
func (p *Profile) Validate() error {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if p.Name == "" {
		fail("no name")
	}
	if !strings.HasPrefix(p.Path, "/") {
		fail("path %q must start with /", p.Path)
	}
	if p.Query.From == "" || p.Query.To == "" {
		fail("query.from and query.to are required")
	}
	if !strings.Contains(p.Path, "{account}") && p.Query.Account == "" {
		fail("the account goes nowhere: put {account} in path or name query.account")
	}
	if p.PageSize <= 0 {
		fail("page_size must be positive")
	}
	switch p.Pagination {
	case PaginationBodyCursor:
		if p.NextCursor == "" || p.Query.Cursor == "" {
			fail("body-cursor pagination needs next_cursor and query.cursor")
		}
	case PaginationLinkHeader:
		if p.NextCursor != "" {
			fail("link-header pagination takes no next_cursor")
		}
	default:
		fail("pagination %q: want %s or %s", p.Pagination, PaginationBodyCursor, PaginationLinkHeader)
	}
	if p.Items != "" && p.NextCursor != "" && (p.Items == p.NextCursor ||
		strings.HasPrefix(p.NextCursor, p.Items+".") || strings.HasPrefix(p.Items, p.NextCursor+".")) {
		fail("items %q and next_cursor %q overlap", p.Items, p.NextCursor)
	}
	if p.Rate.PerSecond < 0 || p.Rate.Burst < 0 {
		fail("rate must not be negative")
	}
	if p.Decimal != "" && p.Decimal != "." && p.Decimal != "," {
		fail("decimal %q: want . or ,", p.Decimal)
	}
	for _, s := range p.CursorExpiredStatus {
		if s < 400 || s > 499 {
			fail("cursor_expired_status %d is not a 4xx status", s)
		}
	}
	p.fields = p.fields[:0]
	for i, name := range FieldNames {
		if fp, ok := p.Fields[name]; ok {
			if fp == "" {
				fail("field %s: empty path", name)
				continue
			}
			p.fields = append(p.fields, fieldPath{field: i, path: strings.Split(fp, ".")})
		}
	}
	for name := range p.Fields {
		if !isFieldName(name) {
			fail("unknown field %q (fields: %s)", name, strings.Join(FieldNames, ", "))
		}
	}
	if p.DSP == "" && p.Fields["dsp"] == "" {
		fail("neither dsp nor fields.dsp: events need a service name")
	}
	p.itemID = nil
	if p.ItemID != "" {
		p.itemID = strings.Split(p.ItemID, ".")
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("%w %q: %s", ErrInvalidProfile, p.Name, strings.Join(errs, "; "))
	}
	return nil
}

func isFieldName(name string) bool {
	for _, f := range FieldNames {
		if f == name {
			return true
		}
	}
	return false
}

// dateFormat returns the layout of the window's dates.
func (p *Profile) dateFormat() string {
	if p.DateFormat == "" {
		return "2006-01-02"
	}
	return p.DateFormat
}

// cursorExpired reports whether status says a cursor expired.
func (p *Profile) cursorExpired(status int) bool {
	if len(p.CursorExpiredStatus) == 0 {
		return status == 410
	}
	for _, s := range p.CursorExpiredStatus {
		if s == status {
			return true
		}
	}
	return false
}

// BuiltinProfiles returns the embedded profiles, sorted by name.
func BuiltinProfiles() ([]*Profile, error) {
	names, err := fs.Glob(builtinFS, "profiles/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]*Profile, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(builtinFS, name)
		if err != nil {
			return nil, err
		}
		p, err := ParseProfile(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		out = append(out, p)
	}
	return out, nil
}

// LoadProfile returns the built-in profile called nameOrFile, or else the
// profile in the JSON file at that path.
func LoadProfile(nameOrFile string) (*Profile, error) {
	builtin, err := BuiltinProfiles()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range builtin {
		if p.Name == nameOrFile {
			return p, nil
		}
		names = append(names, p.Name)
	}
	data, err := os.ReadFile(nameOrFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("dspapi: no profile %q: neither built in (%s) nor a file", nameOrFile, strings.Join(names, ", "))
		}
		return nil, fmt.Errorf("dspapi: %w", err)
	}
	p, err := ParseProfile(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nameOrFile, err)
	}
	return p, nil
}
