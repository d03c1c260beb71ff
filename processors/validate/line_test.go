package validate

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/avro"
	"github.com/shopspring/decimal"
)

const testSHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

var ingestTime = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// typicalLine is a Traxsource-like line that validates.
func typicalLine() *Line {
	return &Line{
		Source: avro.Source{
			FileName:   "Traxsource-July-2017-Statement.csv",
			FileSHA256: testSHA,
			Line:       4,
			Profile:    "traxsource",
		},
		Raw:          []byte(`"InStereo Recordings","Jul - 2017",...`),
		DSP:          "Traxsource",
		ISRC:         "USMKV1005301",
		UPC:          "889176543517",
		TrackTitle:   "Work",
		VersionTitle: "Work DJ Dan & Mike Balance Remix",
		Artists:      "Dom G",
		ReleaseTitle: "Dom G - Work",
		Label:        "InStereo Recordings",
		Territory:    "US",
		Currency:     "USD",
		Units:        "1",
		Amount:       "1.140270",
		PeriodStart:  "Jul - 2017",
		UseType:      "Download",
		SaleType:     "Sale",
	}
}

func TestValidateTypicalLine(t *testing.T) {
	l := typicalLine()
	e, rej := New(Options{}).Validate(l, ingestTime)
	if rej != nil {
		t.Fatalf("rejected: %v", rej)
	}
	want := avro.UsageEvent{
		EventID: testSHA + ":4",
		Source: avro.Source{
			DSP: "Traxsource", ReportID: "Traxsource-July-2017-Statement.csv",
			FileName: "Traxsource-July-2017-Statement.csv", FileSHA256: testSHA, Line: 4, Profile: "traxsource",
		},
		PeriodStart:     day("2017-07-01"),
		PeriodEnd:       day("2017-07-31"),
		Territory:       "US",
		TrackTitle:      "Work",
		Artists:         []string{"Dom G"},
		UseType:         UseDownload,
		UseTypeReported: "Download",
		CommercialModel: ModelUnknown,
		Units:           1,
		Currency:        "USD",
		IngestTime:      ingestTime,
	}
	if e.EventID != want.EventID || e.Source != want.Source || !e.PeriodStart.Equal(want.PeriodStart) ||
		!e.PeriodEnd.Equal(want.PeriodEnd) || e.Territory != want.Territory || e.TrackTitle != want.TrackTitle ||
		e.UseType != want.UseType || e.UseTypeReported != want.UseTypeReported ||
		e.CommercialModel != want.CommercialModel || e.Units != want.Units || e.Currency != want.Currency ||
		!e.IngestTime.Equal(want.IngestTime) || e.NeedsMatch || len(e.Warnings) != 0 {
		t.Errorf("event = %+v\nwant    %+v", e, want)
	}
	if got := deref(e.ISRC); got != "USMKV1005301" {
		t.Errorf("ISRC = %q", got)
	}
	if got := deref(e.UPC); got != "00889176543517" {
		t.Errorf("UPC = %q", got)
	}
	if e.ISWC != nil || e.ProprietaryID != nil {
		t.Errorf("ISWC = %v, ProprietaryID = %v, want nil", e.ISWC, e.ProprietaryID)
	}
	if deref(e.VersionTitle) != "Work DJ Dan & Mike Balance Remix" || deref(e.ReleaseTitle) != "Dom G - Work" || deref(e.Label) != "InStereo Recordings" {
		t.Errorf("text = %v %v %v", deref(e.VersionTitle), deref(e.ReleaseTitle), deref(e.Label))
	}
	if !e.Revenue.Equal(decimal.RequireFromString("1.14027")) || e.Revenue.Exponent() != -6 {
		t.Errorf("revenue = %s (exp %d)", e.Revenue, e.Revenue.Exponent())
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestValidateRejections has at least one case per reason code, and covers
// the check order.
func TestValidateRejections(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		edit    func(l *Line)
		reason  string
		field   string
		message string // substring of the message
		err     error
	}{
		{name: "malformed", edit: func(l *Line) { l.Malformed = "row has 20 cells, want 21"; l.ISRC = "bad" },
			reason: avro.ReasonMalformedRow, message: "20 cells"},
		{name: "bad utf-8", edit: func(l *Line) { l.TrackTitle = "Caf\xe9" },
			reason: avro.ReasonMalformedRow, field: FieldTrackTitle, message: "UTF-8"},
		{name: "no dsp", edit: func(l *Line) { l.DSP = "" },
			reason: avro.ReasonMissingField, field: FieldDSP, err: ErrEmpty},
		{name: "nothing identifies the use", edit: func(l *Line) {
			l.TrackTitle, l.ISRC, l.UPC, l.ReleaseTitle = "", "", "", " "
		}, reason: avro.ReasonMissingField, field: FieldTrackTitle},
		{name: "no territory", edit: func(l *Line) { l.Territory = " " },
			reason: avro.ReasonMissingField, field: FieldTerritory},
		{name: "no currency", edit: func(l *Line) { l.Currency = "" },
			reason: avro.ReasonMissingField, field: FieldCurrency},
		{name: "no units", edit: func(l *Line) { l.Units = "" },
			reason: avro.ReasonMissingField, field: FieldUnits},
		{name: "quoted empty amount", edit: func(l *Line) { l.Amount = `""` },
			reason: avro.ReasonMissingField, field: FieldAmount},
		{name: "no amount", edit: func(l *Line) { l.Amount = "" },
			reason: avro.ReasonMissingField, field: FieldAmount},
		{name: "no period", edit: func(l *Line) { l.PeriodStart = ""; l.PeriodEnd = "2017-07-31" },
			reason: avro.ReasonMissingField, field: FieldPeriodStart},
		{name: "missing before invalid", edit: func(l *Line) { l.ISRC = "bad"; l.Amount = "" },
			reason: avro.ReasonMissingField, field: FieldAmount},
		{name: "UPC in the ISRC column", edit: func(l *Line) { l.ISRC = "844185059862"; l.UPC = "" },
			reason: avro.ReasonInvalidISRC, field: FieldISRC, message: `"844185059862" is 12 digits: it looks like a UPC`},
		{name: "bad isrc", edit: func(l *Line) { l.ISRC = "US-MKV-10-0530" },
			reason: avro.ReasonInvalidISRC, field: FieldISRC, err: ErrSyntax},
		{name: "isrc before upc", edit: func(l *Line) { l.ISRC = "x"; l.UPC = "x" },
			reason: avro.ReasonInvalidISRC, field: FieldISRC},
		{name: "bad upc check digit", edit: func(l *Line) { l.UPC = "731453000000" },
			reason: avro.ReasonInvalidUPC, field: FieldUPC, err: ErrCheckDigit, message: `"731453000000"`},
		{name: "upc in scientific notation", edit: func(l *Line) { l.UPC = "7.31453E+11" },
			reason: avro.ReasonInvalidUPC, field: FieldUPC, err: ErrScientificNotation},
		{name: "bad iswc", edit: func(l *Line) { l.ISWC = "T3452468001" },
			reason: avro.ReasonInvalidISWC, field: FieldISWC, err: ErrCheckDigit, message: "want 3"},
		{name: "bad territory", edit: func(l *Line) { l.Territory = "Atlantis" },
			reason: avro.ReasonInvalidTerritory, field: FieldTerritory, message: `"Atlantis"`},
		{name: "bad default territory", opts: Options{DefaultTerritory: "XX"}, edit: func(l *Line) { l.Territory = "" },
			reason: avro.ReasonInvalidTerritory, field: FieldTerritory, message: `"XX"`},
		{name: "bad currency", edit: func(l *Line) { l.Currency = "ABC" },
			reason: avro.ReasonInvalidCurrency, field: FieldCurrency, message: `"ABC"`},
		{name: "currency disagrees with amount", edit: func(l *Line) { l.Amount = "1.00 EUR" },
			reason: avro.ReasonInvalidCurrency, field: FieldCurrency, message: `"EUR"`},
		{name: "territory before currency", edit: func(l *Line) { l.Territory = "XX"; l.Currency = "ABC" },
			reason: avro.ReasonInvalidTerritory, field: FieldTerritory},
		{name: "fractional units", edit: func(l *Line) { l.Units = "1.5" },
			reason: avro.ReasonInvalidNumber, field: FieldUnits, err: ErrNotWhole, message: `"1.5"`},
		{name: "units before amount", edit: func(l *Line) { l.Units = "x"; l.Amount = "y" },
			reason: avro.ReasonInvalidNumber, field: FieldUnits},
		{name: "bad amount", edit: func(l *Line) { l.Amount = "1.14o" },
			reason: avro.ReasonInvalidNumber, field: FieldAmount, err: ErrSyntax, message: `"1.14o"`},
		{name: "16 fractional digits", edit: func(l *Line) { l.Amount = "0.1234567890123456" },
			reason: avro.ReasonInvalidNumber, field: FieldAmount, err: ErrFractionDigits},
		{name: "scientific amount", edit: func(l *Line) { l.Amount = "1.2E-5" },
			reason: avro.ReasonInvalidNumber, field: FieldAmount, err: ErrScientificNotation},
		{name: "ambiguous amount", edit: func(l *Line) { l.Amount = "1,140" },
			reason: avro.ReasonInvalidNumber, field: FieldAmount, err: ErrAmbiguousNumber},
		{name: "numbers before dates", edit: func(l *Line) { l.Amount = "x"; l.PeriodStart = "x" },
			reason: avro.ReasonInvalidNumber, field: FieldAmount},
		{name: "bad start date", edit: func(l *Line) { l.PeriodStart = "Jull - 2017" },
			reason: avro.ReasonInvalidDate, field: FieldPeriodStart, err: ErrSyntax, message: `"Jull - 2017"`},
		{name: "bad end date", edit: func(l *Line) { l.PeriodStart = "2017-07-01"; l.PeriodEnd = "2017-02-30" },
			reason: avro.ReasonInvalidDate, field: FieldPeriodEnd, err: ErrRange},
		{name: "end before start", edit: func(l *Line) { l.PeriodStart = "2017-07-01"; l.PeriodEnd = "2017-06-30" },
			reason: avro.ReasonInvalidDate, field: FieldPeriodEnd, err: ErrRange, message: `"2017-06-30"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := typicalLine()
			tt.edit(l)
			e, rej := New(tt.opts).Validate(l, ingestTime)
			if rej == nil {
				t.Fatalf("accepted: %+v", e)
			}
			if rej.Reason != tt.reason || rej.Field != tt.field {
				t.Fatalf("rejection = %v; want reason %s, field %q", rej, tt.reason, tt.field)
			}
			if !strings.Contains(rej.Message, tt.message) {
				t.Errorf("message %q does not contain %q", rej.Message, tt.message)
			}
			if tt.err != nil && !errors.Is(rej, tt.err) {
				t.Errorf("rejection %v does not wrap %v", rej, tt.err)
			}
			if e.EventID != "" {
				t.Errorf("a rejection returned a non-zero event: %+v", e)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		edit  func(l *Line)
		check func(t *testing.T, e avro.UsageEvent)
	}{
		{name: "quoted empty identifiers are absent", edit: func(l *Line) { l.ISRC, l.UPC, l.ISWC = `""`, `=""`, " " }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.ISRC != nil || e.UPC != nil || e.ISWC != nil || !e.NeedsMatch {
				t.Errorf("ISRC = %v, UPC = %v, ISWC = %v", e.ISRC, e.UPC, e.ISWC)
			}
		}},
		{name: "empty ISRC needs a match", edit: func(l *Line) { l.ISRC = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.ISRC != nil || !e.NeedsMatch {
				t.Errorf("ISRC = %v, NeedsMatch = %v", e.ISRC, e.NeedsMatch)
			}
		}},
		{name: "lower-case hyphenated ISRC", edit: func(l *Line) { l.ISRC = "ISRC us-mkv-10-05301" }, check: func(t *testing.T, e avro.UsageEvent) {
			if deref(e.ISRC) != "USMKV1005301" || e.NeedsMatch {
				t.Errorf("ISRC = %s", deref(e.ISRC))
			}
		}},
		{name: "unknown registrant warns", edit: func(l *Line) { l.ISRC = "AAAAA1234567" }, check: func(t *testing.T, e avro.UsageEvent) {
			if deref(e.ISRC) != "AAAAA1234567" || len(e.Warnings) != 1 || e.Warnings[0] != WarnUnknownISRCRegistrant {
				t.Errorf("ISRC = %s, warnings = %v", deref(e.ISRC), e.Warnings)
			}
		}},
		{name: "no title but identifiers", edit: func(l *Line) { l.TrackTitle = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.TrackTitle != "" {
				t.Errorf("title = %q", e.TrackTitle)
			}
		}},
		{name: "title alone", edit: func(l *Line) { l.ISRC, l.UPC, l.ReleaseTitle = "", "", "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if !e.NeedsMatch || e.TrackTitle != "Work" {
				t.Errorf("NeedsMatch = %v, title %q", e.NeedsMatch, e.TrackTitle)
			}
		}},
		{name: "titles trimmed", edit: func(l *Line) { l.TrackTitle = " I Don't Feel Like Dancin' " }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.TrackTitle != "I Don't Feel Like Dancin'" {
				t.Errorf("title = %q", e.TrackTitle)
			}
		}},
		{name: "ISWC normalised", edit: func(l *Line) { l.ISWC = "T-034.524.680-1" }, check: func(t *testing.T, e avro.UsageEvent) {
			if deref(e.ISWC) != "T0345246801" {
				t.Errorf("ISWC = %s", deref(e.ISWC))
			}
		}},
		{name: "alpha-3 territory", edit: func(l *Line) { l.Territory = "NLD" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Territory != "NL" {
				t.Errorf("territory = %s", e.Territory)
			}
		}},
		{name: "default territory", opts: Options{DefaultTerritory: "Worldwide"}, edit: func(l *Line) { l.Territory = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Territory != "WW" {
				t.Errorf("territory = %s", e.Territory)
			}
		}},
		{name: "default currency", opts: Options{DefaultCurrency: "usd"}, edit: func(l *Line) { l.Currency = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Currency != "USD" {
				t.Errorf("currency = %s", e.Currency)
			}
		}},
		{name: "currency from the amount", edit: func(l *Line) { l.Currency = ""; l.Amount = "1.00 GBP" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Currency != "GBP" || !e.Revenue.Equal(decimal.NewFromInt(1)) {
				t.Errorf("currency = %s, revenue %s", e.Currency, e.Revenue)
			}
		}},
		{name: "currency from the amount beats the default", opts: Options{DefaultCurrency: "USD"}, edit: func(l *Line) { l.Currency = ""; l.Amount = "(EUR 2)" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Currency != "EUR" || !e.Revenue.Equal(decimal.NewFromInt(-2)) {
				t.Errorf("currency = %s, revenue %s", e.Currency, e.Revenue)
			}
		}},
		{name: "agreeing currency and symbol", edit: func(l *Line) { l.Amount = "$1.00 USD" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Currency != "USD" {
				t.Errorf("currency = %s", e.Currency)
			}
		}},
		{name: "units optional", opts: Options{UnitsOptional: true}, edit: func(l *Line) { l.Units = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != 0 || len(e.Warnings) != 1 || e.Warnings[0] != WarnUnitsNotReported {
				t.Errorf("units = %d, warnings %v", e.Units, e.Warnings)
			}
		}},
		{name: "decimal comma profile", edit: func(l *Line) { l.Decimal = ','; l.Units = "1.234"; l.Amount = "1.234,56" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != 1234 || !e.Revenue.Equal(decimal.RequireFromString("1234.56")) {
				t.Errorf("units %d, revenue %s", e.Units, e.Revenue)
			}
		}},
		{name: "apple return keeps its signs", edit: func(l *Line) { l.SaleType = "R"; l.Units = "-1"; l.Amount = "-12.17" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != -1 || !e.Revenue.Equal(decimal.RequireFromString("-12.17")) {
				t.Errorf("units %d, revenue %s", e.Units, e.Revenue)
			}
		}},
		{name: "void negates positive values", edit: func(l *Line) { l.SaleType = "Void"; l.Units = "1"; l.Amount = "0.46" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != -1 || !e.Revenue.Equal(decimal.RequireFromString("-0.46")) {
				t.Errorf("units %d, revenue %s", e.Units, e.Revenue)
			}
		}},
		{name: "refund with negative amount", edit: func(l *Line) { l.SaleType = "Refund"; l.Units = "2"; l.Amount = "(0.46)" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != -2 || !e.Revenue.Equal(decimal.RequireFromString("-0.46")) {
				t.Errorf("units %d, revenue %s", e.Units, e.Revenue)
			}
		}},
		{name: "negative sale is kept", edit: func(l *Line) { l.Units = "-1"; l.Amount = "-0.65877759408" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Units != -1 || !e.Revenue.Equal(decimal.RequireFromString("-0.65877759408")) {
				t.Errorf("units %d, revenue %s", e.Units, e.Revenue)
			}
		}},
		{name: "start and end", edit: func(l *Line) { l.PeriodStart = "08/31/2014"; l.PeriodEnd = "09/27/2014" }, check: func(t *testing.T, e avro.UsageEvent) {
			if !e.PeriodStart.Equal(day("2014-08-31")) || !e.PeriodEnd.Equal(day("2014-09-27")) {
				t.Errorf("period %v..%v", e.PeriodStart, e.PeriodEnd)
			}
		}},
		{name: "day-first profile", edit: func(l *Line) { l.DateOrder = OrderDMY; l.PeriodStart = "01/07/2017"; l.PeriodEnd = "31/07/2017" }, check: func(t *testing.T, e avro.UsageEvent) {
			if !e.PeriodStart.Equal(day("2017-07-01")) || !e.PeriodEnd.Equal(day("2017-07-31")) {
				t.Errorf("period %v..%v", e.PeriodStart, e.PeriodEnd)
			}
		}},
		{name: "DDEX period in one cell", edit: func(l *Line) { l.PeriodStart = "2015-10-01--2015-12-31" }, check: func(t *testing.T, e avro.UsageEvent) {
			if !e.PeriodStart.Equal(day("2015-10-01")) || !e.PeriodEnd.Equal(day("2015-12-31")) {
				t.Errorf("period %v..%v", e.PeriodStart, e.PeriodEnd)
			}
		}},
		{name: "DSP from the source wins", edit: func(l *Line) { l.Source.DSP = "Beatport"; l.DSP = "" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Source.DSP != "Beatport" {
				t.Errorf("dsp = %q", e.Source.DSP)
			}
		}},
		{name: "report id kept", edit: func(l *Line) { l.Source.ReportID = "OMF_1199" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.Source.ReportID != "OMF_1199" {
				t.Errorf("report id = %q", e.Source.ReportID)
			}
		}},
		{name: "vocabulary", edit: func(l *Line) { l.UseType = "OnDemandStream"; l.CommercialModel = "SubscriptionModel" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.UseType != UseStream || e.UseTypeReported != "OnDemandStream" || e.CommercialModel != ModelSubscription {
				t.Errorf("use %q (%q), model %q", e.UseType, e.UseTypeReported, e.CommercialModel)
			}
		}},
		{name: "unknown vocabulary is other", edit: func(l *Line) { l.UseType = "Telepathy"; l.CommercialModel = "Barter" }, check: func(t *testing.T, e avro.UsageEvent) {
			if e.UseType != UseOther || e.UseTypeReported != "Telepathy" || e.CommercialModel != ModelOther {
				t.Errorf("use %q (%q), model %q", e.UseType, e.UseTypeReported, e.CommercialModel)
			}
		}},
		{name: "artists split on pipes", edit: func(l *Line) { l.Artists = "Elton John|Jason Sellards" }, check: func(t *testing.T, e avro.UsageEvent) {
			if len(e.Artists) != 2 || e.Artists[1] != "Jason Sellards" {
				t.Errorf("artists %q", e.Artists)
			}
		}},
		{name: "proprietary id", edit: func(l *Line) { l.ProprietaryID = " 424874 " }, check: func(t *testing.T, e avro.UsageEvent) {
			if deref(e.ProprietaryID) != "424874" {
				t.Errorf("proprietary id %s", deref(e.ProprietaryID))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := typicalLine()
			tt.edit(l)
			e, rej := New(tt.opts).Validate(l, ingestTime)
			if rej != nil {
				t.Fatalf("rejected: %v", rej)
			}
			tt.check(t, e)
		})
	}
}

func TestValidatePointersAreDistinct(t *testing.T) {
	l := typicalLine()
	l.ISWC = "T0345246801"
	l.ProprietaryID = "p"
	e, rej := New(Options{}).Validate(l, ingestTime)
	if rej != nil {
		t.Fatal(rej)
	}
	ptrs := []*string{e.ISRC, e.UPC, e.ISWC, e.ProprietaryID, e.VersionTitle, e.ReleaseTitle, e.Label}
	want := []string{"USMKV1005301", "00889176543517", "T0345246801", "p", "Work DJ Dan & Mike Balance Remix", "Dom G - Work", "InStereo Recordings"}
	for i, p := range ptrs {
		if deref(p) != want[i] {
			t.Errorf("pointer %d = %q, want %q", i, deref(p), want[i])
		}
	}
}

func TestEventID(t *testing.T) {
	if got := EventID(testSHA, 12); got != testSHA+":12" {
		t.Errorf("EventID = %q", got)
	}
	if got := EventID("ab", 1); got != "ab:1" {
		t.Errorf("EventID = %q", got)
	}
}

func TestOptionsCheck(t *testing.T) {
	if err := (Options{DefaultCurrency: "EUR", DefaultTerritory: "WW"}).Check(); err != nil {
		t.Errorf("valid options: %v", err)
	}
	if err := (Options{DefaultCurrency: "EURO"}).Check(); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad currency: %v", err)
	}
	if err := (Options{DefaultTerritory: "Atlantis"}).Check(); !errors.Is(err, ErrUnknownCode) {
		t.Errorf("bad territory: %v", err)
	}
}

func TestDeadLetter(t *testing.T) {
	l := typicalLine()
	l.UPC = "731453000000"
	_, rej := New(Options{}).Validate(l, ingestTime)
	if rej == nil {
		t.Fatal("accepted")
	}
	now := time.Date(2024, 5, 1, 12, 0, 1, 0, time.UTC)
	d := DeadLetter(l, rej, StageIngest, now)
	if d.DeadLetterID != testSHA+":4" || d.Stage != StageIngest || d.FileName != l.Source.FileName ||
		d.FileSHA256 != testSHA || d.Line != 4 || d.Profile != "traxsource" || d.Reason != avro.ReasonInvalidUPC ||
		deref(d.Field) != FieldUPC || d.Message != rej.Message || string(d.Raw) != string(l.Raw) || !d.Time.Equal(now) {
		t.Errorf("dead letter = %+v", d)
	}
	if want := "invalid_upc: upc: "; !strings.HasPrefix(rej.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", rej.Error(), want)
	}
	l.Malformed = "bad quoting"
	_, rej = New(Options{}).Validate(l, ingestTime)
	if d := DeadLetter(l, rej, StageIngest, now); d.Field != nil || d.Reason != avro.ReasonMalformedRow {
		t.Errorf("malformed dead letter = %+v", d)
	}
	if rej.Error() != "malformed_row: bad quoting" {
		t.Errorf("Error() = %q", rej.Error())
	}
}
