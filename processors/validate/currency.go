package validate

import "fmt"

// activeCurrencies are the ISO 4217 alphabetic codes in force (Debian
// iso-codes 4.15.0, plus XCG of 2025 and ZWG of 2024), without XTS
// (reserved for testing) and XXX (no currency), which no revenue is paid in.
var activeCurrencies = [...]string{
	"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM",
	"BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD",
	"BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP",
	"CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP",
	"DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
	"GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS",
	"INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
	"KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD",
	"MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK",
	"MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR",
	"PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
	"RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS",
	"SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
	"TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW",
	"UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB",
	"XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA",
	"YER", "ZAR", "ZMW", "ZWG", "ZWL",
}

// withdrawnCurrencies are ISO 4217 codes withdrawn since the 1980s (ISO 4217
// list three). DDEX keeps such codes in its DeprecatedCurrencyCode allowed
// value set, and the DSR standard accepts them beside the active codes, so
// that reports can cover usage paid in them before their withdrawal: the
// pre-euro currencies, the Croatian kuna, the old bolivar, and so on.
var withdrawnCurrencies = [...]string{
	"ADP",               // Andorran peseta
	"AFA",               // Afghani (1927-2002)
	"AOK", "AON", "AOR", // Angolan kwanzas
	"ARA", "ARP", // Argentine austral and peso
	"ATS",               // Austrian schilling
	"AZM",               // Azerbaijani manat (1993-2006)
	"BAD",               // Bosnia and Herzegovina dinar
	"BEC", "BEF", "BEL", // Belgian francs
	"BGL",                             // Bulgarian lev (1962-1999)
	"BOP",                             // Bolivian peso
	"BRB", "BRC", "BRE", "BRN", "BRR", // Brazilian cruzeiros and cruzados
	"BYB", "BYR", // Belarusian rubles
	"CSD", "CSK", // Serbian dinar (2003-2006), Czechoslovak koruna
	"CYP",        // Cyprus pound
	"DDM",        // East German mark
	"DEM",        // Deutsche Mark
	"ECS", "ECV", // Ecuadorian sucre
	"EEK",               // Estonian kroon
	"ESA", "ESB", "ESP", // Spanish pesetas
	"FIM",        // Finnish markka
	"FRF",        // French franc
	"GEK",        // Georgian kupon larit
	"GHC",        // Ghanaian cedi (1967-2007)
	"GNS",        // Guinean syli
	"GRD",        // Greek drachma
	"GWP",        // Guinea-Bissau peso
	"HRD",        // Croatian dinar
	"IEP",        // Irish pound
	"ILP", "ILR", // Israeli pound and shekel
	"ISJ",        // Icelandic krona (1918-1981)
	"ITL",        // Italian lira
	"LTL", "LTT", // Lithuanian litas and talonas
	"LUC", "LUF", "LUL", // Luxembourg francs
	"LVL", "LVR", // Latvian lats and ruble
	"MGF",        // Malagasy franc
	"MLF",        // Malian franc
	"MRO",        // Mauritanian ouguiya (1973-2017)
	"MTL", "MTP", // Maltese lira and pound
	"MXP",        // Mexican peso (1861-1992)
	"MZE", "MZM", // Mozambican escudo and metical
	"NIC",               // Nicaraguan cordoba
	"NLG",               // Dutch guilder
	"PEH", "PEI", "PES", // Peruvian sol, inti and sol
	"PLZ",        // Polish zloty (1950-1995)
	"PTE",        // Portuguese escudo
	"RHD",        // Rhodesian dollar
	"ROL",        // Romanian leu (1952-2005)
	"RUR",        // Russian ruble (1991-1998)
	"SDD", "SDP", // Sudanese dinar and pound
	"SIT",        // Slovenian tolar
	"SKK",        // Slovak koruna
	"SRG",        // Surinamese guilder
	"STD",        // Sao Tome and Principe dobra (1977-2017)
	"SUR",        // Soviet ruble
	"TJR",        // Tajikistani ruble
	"TMM",        // Turkmenistani manat (1993-2008)
	"TPE",        // Timorese escudo
	"TRL",        // Turkish lira (1922-2005)
	"UAK",        // Ukrainian karbovanets
	"UGS",        // Ugandan shilling (1966-1987)
	"USS",        // US dollar (same day)
	"UYN", "UYP", // Uruguayan pesos
	"VEB", "VEF", // Venezuelan bolivars
	"XEU",        // European Currency Unit
	"XFO", "XFU", // Gold franc, UIC franc
	"YDD",               // South Yemeni dinar
	"YUD", "YUM", "YUN", // Yugoslav dinars
	"ZAL",        // South African financial rand
	"ZMK",        // Zambian kwacha (1968-2012)
	"ZRN", "ZRZ", // Zairean zaires
	"ZWD", "ZWN", "ZWR", // Zimbabwe dollars
}

// currencyIndex[alpha3Index(code)] is 1 for an active and 2 for a withdrawn
// currency code.
var currencyIndex = func() (t [26 * 26 * 26]uint8) {
	for _, c := range activeCurrencies {
		t[alpha3Index(c)] = 1
	}
	for _, c := range withdrawnCurrencies {
		t[alpha3Index(c)] = 2
	}
	return t
}()

// NormalizeCurrency returns the upper-case ISO 4217 alphabetic code in s. It
// accepts the active codes and the withdrawn codes that DDEX sales reports
// may use (see withdrawnCurrencies). The error wraps ErrEmpty, ErrSyntax or
// ErrUnknownCode.
func NormalizeCurrency(s string) (string, error) {
	s = trim(s)
	if s == "" {
		return "", ErrEmpty
	}
	if len(s) != 3 || !isLetter(s[0]) || !isLetter(s[1]) || !isLetter(s[2]) {
		return "", fmt.Errorf("%w: currency %q is not a three-letter ISO 4217 code", ErrSyntax, s)
	}
	if currencyIndex[alpha3Index(s)] == 0 {
		return "", fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrUnknownCode, s)
	}
	if isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2]) {
		return s, nil
	}
	return string([]byte{upper(s[0]), upper(s[1]), upper(s[2])}), nil
}

// isCurrencyCode reports whether s is a known currency code in upper case.
func isCurrencyCode(s string) bool {
	return len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2]) &&
		currencyIndex[alpha3Index(s)] != 0
}
