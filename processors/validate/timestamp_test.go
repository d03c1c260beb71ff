package validate

import (
	"errors"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  error
	}{
		{in: "2023-01-01T10:00:00Z", want: time.Date(2023, 1, 1, 10, 0, 0, 0, time.UTC)},
		{in: "2023-01-01T10:00:00+02:00", want: time.Date(2023, 1, 1, 8, 0, 0, 0, time.UTC)},
		{in: "2023-01-01T10:00:00.5Z", want: time.Date(2023, 1, 1, 10, 0, 0, 500000000, time.UTC)},
		{in: "2023-01-01 10:00:00", want: time.Date(2023, 1, 1, 10, 0, 0, 0, time.UTC)},
		{in: "2023-01-01T10:00:00", want: time.Date(2023, 1, 1, 10, 0, 0, 0, time.UTC)},
		{in: "2023-01-01", want: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
		{in: "2023-01", want: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
		{in: "", err: ErrEmpty},
		{in: "2023-01-01T25:00:00Z", err: ErrSyntax},
		{in: "0001-01-01T00:00:00Z", err: ErrRange},
		{in: "yesterday", err: ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseTimestamp(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseTimestamp(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
