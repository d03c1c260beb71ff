package instance

import (
	"slices"
	"testing"
)

func TestConsumersAreNamedByTheApp(t *testing.T) {
	got := Consumers("royalties", "")
	want := []Consumer{
		{Group: "royalties-drift", Topic: "usage"},
		{Group: "royalties-lake-sink", Topic: "usage-enriched"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Consumers(royalties) = %v, want %v", got, want)
	}
	if got := Consumers("", "eu."); got[0] != (Consumer{Group: "ledgerline-drift", Topic: "eu.usage"}) {
		t.Fatalf("default app with a topic prefix: %v", got)
	}
}
