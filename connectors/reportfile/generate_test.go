package reportfile

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestGeneratedUPCsHaveValidCheckDigits: the only bad lines of a
// generated report are its broken rows.
func TestGeneratedUPCsHaveValidCheckDigits(t *testing.T) {
	var b bytes.Buffer
	if _, err := GenerateReport(&b, GenerateOptions{Rows: 20000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	rd, err := Open(&b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	upcs := 0
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		upc := row.Cells[FieldUPC]
		if upc == "" {
			continue
		}
		upcs++
		sum, w := 0, 3
		for i := len(upc) - 2; i >= 0; i-- {
			sum += int(upc[i]-'0') * w
			w = 4 - w
		}
		if len(upc) != 12 || int(upc[11]-'0') != (10-sum%10)%10 {
			t.Fatalf("line %d: UPC %q has a bad check digit", row.Line, upc)
		}
	}
	if upcs < 100 {
		t.Fatalf("only %d UPCs generated", upcs)
	}
}
