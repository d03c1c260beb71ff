package validate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
)

// catalogColumns are the columns of a catalog file, as CSV header names and
// JSON keys.
var catalogColumns = [...]string{
	"isrc", "version", "valid_from", "title", "version_title", "artists",
	"release_title", "upc", "iswc", "label", "splits",
}

// setColumn stores value in the cell of c named by col.
func (c *CatalogInput) setColumn(col, value string) {
	switch col {
	case "isrc":
		c.ISRC = value
	case "version":
		c.Version = value
	case "valid_from":
		c.ValidFrom = value
	case "title":
		c.Title = value
	case "version_title":
		c.VersionTitle = value
	case "artists":
		c.Artists = value
	case "release_title":
		c.ReleaseTitle = value
	case "upc":
		c.UPC = value
	case "iswc":
		c.ISWC = value
	case "label":
		c.Label = value
	case "splits":
		c.Splits = value
	}
}

// ReadCatalogCSV reads catalog records from CSV (RFC 4180) with a header
// row naming the columns (catalogColumns, any case and order; isrc is
// required; a UTF-8 byte order mark is skipped). It yields one input per
// data row, streaming. A row with the wrong number of cells or broken
// quoting is yielded with Malformed set and reading goes on; an unreadable
// header or a read error is yielded as an error and ends the sequence. Raw
// is the row's cells re-encoded as one CSV line.
func ReadCatalogCSV(r io.Reader) iter.Seq2[*CatalogInput, error] {
	return func(yield func(*CatalogInput, error) bool) {
		cr := csv.NewReader(r)
		header, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			yield(nil, fmt.Errorf("catalog csv header: %w", err))
			return
		}
		cols, err := catalogHeader(header)
		if err != nil {
			yield(nil, err)
			return
		}
		cr.FieldsPerRecord = len(cols)
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			c := &CatalogInput{}
			var perr *csv.ParseError
			switch {
			case errors.As(err, &perr):
				c.Line = int64(perr.StartLine)
				c.Malformed = perr.Error()
				if errors.Is(err, csv.ErrFieldCount) {
					c.Malformed = fmt.Sprintf("row has %d cells, the header has %d", len(row), len(cols))
				}
			case err != nil:
				yield(nil, fmt.Errorf("catalog csv: %w", err))
				return
			default:
				line, _ := cr.FieldPos(0)
				c.Line = int64(line)
				for i, col := range cols {
					c.setColumn(col, row[i])
				}
			}
			c.Raw = csvLine(row)
			if !yield(c, nil) {
				return
			}
		}
	}
}

// catalogHeader maps header cells to column names.
func catalogHeader(header []string) ([]string, error) {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(trim(h))
		known := false
		for _, c := range catalogColumns {
			known = known || c == h
		}
		switch {
		case !known:
			return nil, fmt.Errorf("catalog csv header: unknown column %q (want %s)", h, strings.Join(catalogColumns[:], ", "))
		case seen[h]:
			return nil, fmt.Errorf("catalog csv header: column %q appears twice", h)
		}
		seen[h] = true
		cols[i] = h
	}
	if !seen["isrc"] {
		return nil, errors.New("catalog csv header: no isrc column")
	}
	return cols, nil
}

// csvLine encodes cells as one CSV line without the line end.
func csvLine(cells []string) []byte {
	if cells == nil {
		return nil
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(cells) // writes to memory cannot fail
	w.Flush()
	return bytes.TrimRight(b.Bytes(), "\r\n")
}

// catalogJSON is one JSON line of a catalog file. Version may be a number
// or a string; artists a '|'-separated string or an array; splits a string
// (as in CSV) or an array of objects; a share a number or a string.
// Numbers are kept as written, so shares stay exact.
type catalogJSON struct {
	ISRC         string          `json:"isrc"`
	Version      json.RawMessage `json:"version"`
	ValidFrom    string          `json:"valid_from"`
	Title        string          `json:"title"`
	VersionTitle string          `json:"version_title"`
	Artists      json.RawMessage `json:"artists"`
	ReleaseTitle string          `json:"release_title"`
	UPC          string          `json:"upc"`
	ISWC         string          `json:"iswc"`
	Label        string          `json:"label"`
	Splits       json.RawMessage `json:"splits"`
}

type splitJSON struct {
	PartyID string          `json:"party_id"`
	Name    string          `json:"name"`
	Role    string          `json:"role"`
	Share   json.RawMessage `json:"share"`
}

// ReadCatalogJSONLines reads catalog records from JSON lines: one object
// per line with the keys of catalogColumns; blank lines are skipped. It
// yields one input per object, streaming. A line that is not such an
// object (bad JSON, an unknown key, a value of the wrong type) is yielded
// with Malformed set and reading goes on; a read error is yielded as an
// error and ends the sequence.
func ReadCatalogJSONLines(r io.Reader) iter.Seq2[*CatalogInput, error] {
	return func(yield func(*CatalogInput, error) bool) {
		br := bufio.NewReader(r)
		var lineNo int64
		for {
			raw, err := br.ReadBytes('\n')
			if len(raw) > 0 {
				lineNo++
				line := bytes.TrimRight(raw, "\r\n")
				if lineNo == 1 {
					line = bytes.TrimPrefix(line, []byte("\ufeff"))
				}
				if len(bytes.TrimSpace(line)) > 0 {
					c := catalogFromJSON(line)
					c.Line = lineNo
					c.Raw = line
					if !yield(c, nil) {
						return
					}
				}
			}
			switch {
			case errors.Is(err, io.EOF):
				return
			case err != nil:
				yield(nil, fmt.Errorf("catalog json lines: %w", err))
				return
			}
		}
	}
}

// catalogFromJSON decodes one JSON line; a line it cannot decode gives an
// input with Malformed set.
func catalogFromJSON(line []byte) *CatalogInput {
	var j catalogJSON
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	c := &CatalogInput{}
	if err := dec.Decode(&j); err != nil {
		c.Malformed = "bad JSON: " + err.Error()
		return c
	}
	if dec.More() {
		c.Malformed = "bad JSON: more than one value on the line"
		return c
	}
	c.ISRC, c.ValidFrom, c.Title, c.VersionTitle = j.ISRC, j.ValidFrom, j.Title, j.VersionTitle
	c.ReleaseTitle, c.UPC, c.ISWC, c.Label = j.ReleaseTitle, j.UPC, j.ISWC, j.Label
	var err error
	if c.Version, err = scalarText(j.Version); err != nil {
		c.Malformed = "version: " + err.Error()
		return c
	}
	if err := decodeArtists(j.Artists, c); err != nil {
		c.Malformed = "artists: " + err.Error()
		return c
	}
	if err := decodeSplits(j.Splits, c); err != nil {
		c.Malformed = "splits: " + err.Error()
	}
	return c
}

// scalarText returns a JSON string's value or a JSON number's text; null
// or absent gives "".
func scalarText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return "", fmt.Errorf("want a string or a number: %w", err)
	}
	return n.String(), nil
}

func decodeArtists(raw json.RawMessage, c *CatalogInput) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil
	case raw[0] == '[':
		c.ArtistList = []string{}
		return json.Unmarshal(raw, &c.ArtistList)
	}
	return json.Unmarshal(raw, &c.Artists)
}

func decodeSplits(raw json.RawMessage, c *CatalogInput) error {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil
	case raw[0] != '[':
		return json.Unmarshal(raw, &c.Splits)
	}
	var list []splitJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&list); err != nil {
		return err
	}
	c.SplitList = make([]SplitInput, len(list))
	for i, s := range list {
		share, err := scalarText(s.Share)
		if err != nil {
			return fmt.Errorf("share of %q: %w", s.PartyID, err)
		}
		c.SplitList[i] = SplitInput{PartyID: s.PartyID, Name: s.Name, Role: s.Role, Share: share}
	}
	return nil
}
