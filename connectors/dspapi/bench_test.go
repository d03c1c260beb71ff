package dspapi

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/ledgerline/ledgerline/processors/validate"
)

// BenchmarkDecodePage measures decoding, mapping and validating the items
// of a 1000-item page of the cursor-json shape; it reports items/s.
func BenchmarkDecodePage(b *testing.B) {
	p := builtin(b, "cursor-json")
	var body bytes.Buffer
	body.WriteString(`{"data":[`)
	const n = 1000
	for i := range n {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":"a-%d","service":"Fake Stream","track":{"isrc":"GBABC26%05d","title":"Song %d","artists":["Artist A","Artist B"]},`+
			`"release":{"upc":"012345678905","title":"Album"},"country":"GB","date":"2026-03-01",`+
			`"usage":{"type":"stream","plays":%d,"tier":"premium"},"revenue":{"amount":"0.%04d","currency":"GBP"}}`, i, i, i, i%50+1, i)
	}
	body.WriteString(`],"meta":{"next_cursor":"next"}}`)
	v := validate.New(validate.Options{})
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	items := 0
	var l validate.Line
	for range b.N {
		dec := p.NewPageDecoder(bytes.NewReader(body.Bytes()))
		for {
			raw, err := dec.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			l.Source = avro.Source{FileSHA256: "w", Line: int64(items)}
			p.MapItem(raw, &l)
			if _, rej := v.Validate(&l, time.Time{}); rej != nil {
				b.Fatal(rej)
			}
			items++
		}
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}
