package catalog

import "strconv"

// Key layout of the catalog store. Every key starts with a short prefix
// naming its kind; ISRCs and UPCs are stored as given (12 and 14
// characters after boundary validation).
//
//	cur/<ISRC>                      framed Avro CatalogRecord, current version
//	ver/<ISRC>/<version, 19 digits> framed Avro CatalogRecord, a superseded version
//	upc/<UPC>                       ISRC list: recordings whose main release is UPC
//	ttl/<UPC>/<loose base title>    ISRC list: recordings on UPC with that title
//
// An ISRC list is the byte 1 (layout version) followed by each ISRC as a
// uvarint length and its bytes, in the order they were added.
const (
	prefixCurrent = "cur/"
	prefixVersion = "ver/"
	prefixUPC     = "upc/"
	prefixTitle   = "ttl/"
)

func currentKey(isrc string) []byte {
	return append(append(make([]byte, 0, len(prefixCurrent)+len(isrc)), prefixCurrent...), isrc...)
}

func versionKey(isrc string, version int64) []byte {
	k := make([]byte, 0, len(prefixVersion)+len(isrc)+1+19)
	k = append(append(append(k, prefixVersion...), isrc...), '/')
	digits := strconv.AppendInt(nil, version, 10)
	for i := len(digits); i < 19; i++ {
		k = append(k, '0')
	}
	return append(k, digits...)
}

func upcKey(upc string) []byte {
	return append(append(make([]byte, 0, len(prefixUPC)+len(upc)), prefixUPC...), upc...)
}

func titleKey(upc, looseTitle string) []byte {
	k := make([]byte, 0, len(prefixTitle)+len(upc)+1+len(looseTitle))
	return append(append(append(append(k, prefixTitle...), upc...), '/'), looseTitle...)
}
