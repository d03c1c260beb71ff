package catalog

// vocabulary is what generated records are made of.
type vocabulary struct {
	countries, words, first, last, bands, versions, roles, labels []string
}

func newVocabulary() vocabulary {
	return vocabulary{
		countries: []string{"US", "GB", "DE", "FR", "SE", "NL", "JP", "CA", "AU", "BR", "NO", "ES"},
		words: []string{
			"love", "night", "heart", "fire", "dream", "summer", "rain", "city",
			"light", "blue", "gold", "river", "midnight", "dancing", "forever",
			"home", "wild", "electric", "paper", "ocean", "stars", "shadow",
			"café", "niño", "tøilette", "déjà", "über", "señorita", "naïve",
			"don't", "can't", "it's", "rock & roll", "l'amour", "été", "mañana",
			"smörgåsbord", "garçon", "crème", "fjäril", "ångest", "kærlighed",
		},
		first: []string{"Anna", "Björn", "Chloé", "Daniel", "Élodie", "Frank", "Greta", "Hugo",
			"Inès", "Jonas", "Kaito", "Lena", "Miguel", "Nora", "Oskar", "Zoë", "Søren", "Łukasz"},
		last: []string{"Smith", "Müller", "Dubois", "García", "Johansson", "Tanaka", "Nowak",
			"O'Brien", "Ødegaard", "Brontë", "Silva", "Kowalski", "Novák", "Rossi", "Berg"},
		bands: []string{"The %s %s", "%s & the %s", "%s %s", "DJ %s", "%s Collective"},
		versions: []string{"Remastered 2011", "Radio Edit", "Live", "Acoustic", "Extended Mix",
			"2009 Remaster", "Instrumental", "Mono Version", "Demo"},
		roles:  []string{"artist", "producer", "composer", "lyricist", "publisher", "label"},
		labels: []string{"Northern Lights Records", "Sonic Café", "Blåbär Music", "Nightjar", "Øresund Audio"},
	}
}
