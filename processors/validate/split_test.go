package validate

import (
	"errors"
	"testing"
)

func TestParseSplits(t *testing.T) {
	got, err := ParseSplits("IPI:00052210040:Writer:composer:0.5| P2 :Name with spaces:lyricist:0.5 ")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].PartyID != "IPI:00052210040" || got[1].PartyID != "P2" || got[1].Name != "Name with spaces" {
		t.Errorf("ParseSplits = %+v", got)
	}
	if _, err := ParseSplits("nope"); !errors.Is(err, ErrSyntax) {
		t.Errorf("ParseSplits(nope) error = %v", err)
	}
}
