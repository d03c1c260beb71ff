package validate

import (
	"bytes"
	"testing"
)

// FuzzReadCatalog feeds arbitrary bytes to both catalog readers and
// validates what they yield: no panic, no endless sequence, and every
// accepted record has a well-formed ISRC and splits that sum to one.
func FuzzReadCatalog(f *testing.F) {
	f.Add([]byte("isrc,version,valid_from,title,splits\nGBAYE0601498,1,2024-01-01,Song,IPI:1:A:artist:0.5|IPI:2:B:producer:0.5\n"))
	f.Add([]byte(`{"isrc":"GBAYE0601498","version":"2","valid_from":"2024-01-01","title":"x","artists":["a"]}` + "\n{"))
	f.Add([]byte("isrc\n\"unterminated\n"))
	v := New(Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, read := range []func([]byte) int{
			func(b []byte) int {
				n := 0
				for in, err := range ReadCatalogCSV(bytes.NewReader(b)) {
					if err != nil || n > len(b)+1 {
						break
					}
					n++
					check(t, v, in)
				}
				return n
			},
			func(b []byte) int {
				n := 0
				for in, err := range ReadCatalogJSONLines(bytes.NewReader(b)) {
					if err != nil || n > len(b)+1 {
						break
					}
					n++
					check(t, v, in)
				}
				return n
			},
		} {
			if n := read(data); n > len(data)+1 {
				t.Fatalf("%d records from %d bytes", n, len(data))
			}
		}
	})
}

func check(t *testing.T, v *Validator, in *CatalogInput) {
	rec, rej := v.ValidateCatalog(in)
	if rej != nil {
		if rej.Reason == "" {
			t.Fatal("rejection without a reason")
		}
		return
	}
	if len(rec.ISRC) != 12 || rec.Version < 1 {
		t.Fatalf("accepted a bad record: %+v", rec)
	}
	if len(rec.Splits) > 0 {
		sum := rec.Splits[0].Share
		for _, s := range rec.Splits[1:] {
			sum = sum.Add(s.Share)
		}
		if !sum.Equal(sum.Truncate(0)) || sum.IntPart() != 1 {
			t.Fatalf("accepted splits summing to %s", sum)
		}
	}
}
