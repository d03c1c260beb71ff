package validate

import "testing"

func TestMapUseType(t *testing.T) {
	tests := map[string]string{
		"Stream":                  UseStream,
		"Streaming":               UseStream,
		"OnDemandStream":          UseStream,
		"On-Demand Stream":        UseStream,
		"NonInteractiveStream":    UseStream,
		"ProgrammedStream":        UseStream,
		"ContentInfluencedStream": UseStream,
		"download":                UseDownload,
		"PermanentDownload":       UseDownload,
		"Permanent Download":      UseDownload,
		"UserGeneratedContent":    UseUGC,
		"UGC":                     UseUGC,
		"consignment pay":         UsePhysicalSale,
		"Physical Sale":           UsePhysicalSale,
		"CD":                      UsePhysicalSale,
		"Ringtone":                UseOther,
		"":                        UseOther,
		"something new":           UseOther,
		"Strëam":                  UseOther,
	}
	for in, want := range tests {
		if got := MapUseType(in); got != want {
			t.Errorf("MapUseType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMapCommercialModel(t *testing.T) {
	tests := map[string]string{
		"SubscriptionModel":           ModelSubscription,
		"Subscription":                ModelSubscription,
		"Premium":                     ModelSubscription,
		"AdvertisementSupportedModel": ModelAdSupported,
		"AdSupported":                 ModelAdSupported,
		"Ad-Supported":                ModelAdSupported,
		"AdFunded":                    ModelAdSupported,
		"PayAsYouGoModel":             ModelPurchase,
		"Purchase":                    ModelPurchase,
		"FreeOfChargeModel":           ModelFree,
		"Free":                        ModelFree,
		"RightsClaimModel":            ModelOther,
		"Barter":                      ModelOther,
		"":                            ModelUnknown,
		"  ":                          ModelUnknown,
		"Unknown":                     ModelUnknown,
	}
	for in, want := range tests {
		if got := MapCommercialModel(in); got != want {
			t.Errorf("MapCommercialModel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsReturn(t *testing.T) {
	for _, s := range []string{"R", "r", "Return", "RETURNS", "Void", "voided", "Refund", "Chargeback", "Charge-back", "Reversal"} {
		if !IsReturn(s) {
			t.Errorf("IsReturn(%q) = false", s)
		}
	}
	for _, s := range []string{"", "S", "Sale", "Stream", "CR", "Return to sender and more text"} {
		if IsReturn(s) {
			t.Errorf("IsReturn(%q) = true", s)
		}
	}
}

func TestSplitArtists(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"DJ Dan", []string{"DJ Dan"}},
		{"DJ Dan, Uberzone", []string{"DJ Dan, Uberzone"}},
		{"Earth, Wind & Fire", []string{"Earth, Wind & Fire"}},
		{"Elton John|Jason Sellards|Scott Hoffman", []string{"Elton John", "Jason Sellards", "Scott Hoffman"}},
		{"|myns::4534", []string{"myns::4534"}},
		{"A | B ||", []string{"A", "B"}},
		{`AC\|DC|Other`, []string{"AC|DC", "Other"}},
		{"|", nil},
	}
	for _, tt := range tests {
		got := splitArtists(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("splitArtists(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("splitArtists(%q) = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
}
