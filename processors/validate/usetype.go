package validate

// Canonical use types (UsageEvent.UseType).
const (
	UseStream       = "stream"
	UseDownload     = "download"
	UseUGC          = "ugc"
	UsePhysicalSale = "physical_sale"
	UseOther        = "other"
)

// Canonical commercial models (UsageEvent.CommercialModel).
const (
	ModelSubscription = "subscription"
	ModelAdSupported  = "ad_supported"
	ModelPurchase     = "purchase"
	ModelFree         = "free"
	ModelOther        = "other"
	ModelUnknown      = "unknown"
)

// useTypes maps reported use types, folded by foldKey, to the canonical
// vocabulary: DDEX UseType values (OnDemandStream, PermanentDownload, ...)
// and the terms of distributor and store exports.
var useTypes = map[string]string{
	"stream":                   UseStream,
	"streams":                  UseStream,
	"streaming":                UseStream,
	"audiostream":              UseStream,
	"videostream":              UseStream,
	"musicvideostream":         UseStream,
	"ondemandstream":           UseStream,
	"interactivestream":        UseStream,
	"noninteractivestream":     UseStream,
	"programmedstream":         UseStream,
	"contentinfluencedstream":  UseStream,
	"limitedinteractivestream": UseStream,
	"simulatedstream":          UseStream,
	"webcast":                  UseStream,
	"play":                     UseStream,
	"plays":                    UseStream,
	"download":                 UseDownload,
	"downloads":                UseDownload,
	"permanentdownload":        UseDownload,
	"conditionaldownload":      UseDownload,
	"tethereddownload":         UseDownload,
	"digitaldownload":          UseDownload,
	"trackdownload":            UseDownload,
	"albumdownload":            UseDownload,
	"ugc":                      UseUGC,
	"usergeneratedcontent":     UseUGC,
	"usermadeclip":             UseUGC,
	"contentid":                UseUGC,
	"physical":                 UsePhysicalSale,
	"physicalsale":             UsePhysicalSale,
	"physicalsales":            UsePhysicalSale,
	"cd":                       UsePhysicalSale,
	"vinyl":                    UsePhysicalSale,
	"lp":                       UsePhysicalSale,
	"cassette":                 UsePhysicalSale,
	"consignment":              UsePhysicalSale,
	"consignmentpay":           UsePhysicalSale,
	"mailorder":                UsePhysicalSale,
}

// commercialModels maps reported commercial models, folded by foldKey, to
// the canonical vocabulary: DDEX CommercialModelType values
// (SubscriptionModel, AdvertisementSupportedModel, PayAsYouGoModel, ...)
// and the terms of store exports.
var commercialModels = map[string]string{
	"subscription":                ModelSubscription,
	"subscriptionmodel":           ModelSubscription,
	"paidsubscription":            ModelSubscription,
	"premium":                     ModelSubscription,
	"premiumtier":                 ModelSubscription,
	"paid":                        ModelSubscription,
	"paidtier":                    ModelSubscription,
	"family":                      ModelSubscription,
	"familyplan":                  ModelSubscription,
	"student":                     ModelSubscription,
	"rightsclaimmodel":            ModelOther,
	"adsupported":                 ModelAdSupported,
	"adsupportedmodel":            ModelAdSupported,
	"advertisementsupported":      ModelAdSupported,
	"advertisementsupportedmodel": ModelAdSupported,
	"adfunded":                    ModelAdSupported,
	"adfundedmodel":               ModelAdSupported,
	"ads":                         ModelAdSupported,
	"adsupport":                   ModelAdSupported,
	"freetier":                    ModelAdSupported,
	"freewithads":                 ModelAdSupported,
	"purchase":                    ModelPurchase,
	"paymodel":                    ModelPurchase,
	"payasyougo":                  ModelPurchase,
	"payasyougomodel":             ModelPurchase,
	"perswap":                     ModelPurchase,
	"sale":                        ModelPurchase,
	"sales":                       ModelPurchase,
	"alacarte":                    ModelPurchase,
	"free":                        ModelFree,
	"freeofcharge":                ModelFree,
	"freeofchargemodel":           ModelFree,
	"promotional":                 ModelFree,
	"promo":                       ModelFree,
	"other":                       ModelOther,
	"unknown":                     ModelUnknown,
}

// returnSaleTypes are sale types, folded by foldKey, that mark a return, a
// void, a refund or a chargeback: their units and revenue are negative.
var returnSaleTypes = map[string]bool{
	"r":          true,
	"return":     true,
	"returns":    true,
	"returned":   true,
	"void":       true,
	"voided":     true,
	"refund":     true,
	"refunded":   true,
	"chargeback": true,
	"reversal":   true,
	"reversed":   true,
	"cancel":     true,
	"cancelled":  true,
	"canceled":   true,
}

// MapUseType returns the canonical use type of a reported term: "stream",
// "download", "ugc", "physical_sale" or "other" (also for an empty or
// unknown term). Case, spaces, hyphens, underscores, dots and slashes are
// ignored, so "On-Demand Stream" and "OnDemandStream" are the same term.
func MapUseType(reported string) string {
	var buf [48]byte
	k, ok := foldKey(buf[:], reported)
	if !ok {
		return UseOther
	}
	if u, ok := useTypes[string(k)]; ok {
		return u
	}
	return UseOther
}

// MapCommercialModel returns the canonical commercial model of a reported
// term: "subscription", "ad_supported", "purchase", "free", "other" for an
// unknown term, or "unknown" when the report gives none. Terms are compared
// as in MapUseType.
func MapCommercialModel(reported string) string {
	if trim(reported) == "" {
		return ModelUnknown
	}
	var buf [48]byte
	k, ok := foldKey(buf[:], reported)
	if !ok {
		return ModelOther
	}
	if m, ok := commercialModels[string(k)]; ok {
		return m
	}
	return ModelOther
}

// IsReturn reports whether a sale type marks a return, void, refund or
// chargeback ("R", "Return", "Void", "Refund", "Chargeback", ...).
func IsReturn(saleType string) bool {
	var buf [16]byte
	k, ok := foldKey(buf[:], saleType)
	return ok && len(k) > 0 && returnSaleTypes[string(k)]
}
