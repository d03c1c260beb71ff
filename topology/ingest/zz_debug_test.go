package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/reportfile"
	"github.com/ledgerline/ledgerline/processors/validate"
)

func TestZZDebug(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("DBG_GLOB"))
	v := validate.New(validate.Options{})
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil { t.Fatal(err) }
		rd, err := reportfile.Open(f, reportfile.Options{})
		if err != nil { fmt.Println(p, err); f.Close(); continue }
		j := &fileJob{name: filepath.Base(p), sha256: "x"}
		fmt.Println("==", filepath.Base(p), rd.Profile())
		for {
			row, err := rd.Next()
			if err != nil { break }
			var l validate.Line
			j.fillLine(&l, &row, rd.Profile())
			ev, rej := v.Validate(&l, time.Now())
			if rej != nil {
				fmt.Printf("  L%d REJ %s %s: %s | %q\n", row.Line, rej.Reason, rej.Field, rej.Message, row.Raw)
			} else if os.Getenv("DBG_ALL") != "" {
				fmt.Printf("  L%d OK units=%d rev=%s %s %s..%s %v\n", row.Line, ev.Units, ev.Revenue, ev.Currency, ev.PeriodStart.Format("2006-01-02"), ev.PeriodEnd.Format("2006-01-02"), ev.Warnings)
			}
		}
		for _, d := range rd.Declared() { fmt.Printf("  DECL %+v\n", d) }
		fmt.Printf("  STRUCT %+v\n", rd.Structure())
		f.Close()
	}
}
