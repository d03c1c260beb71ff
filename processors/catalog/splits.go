package catalog

import (
	"cmp"
	"encoding/binary"
	"math/big"
	"slices"
	"strings"

	"github.com/ledgerline/ledgerline/avro"
)

// SplitsString renders splits canonically, independent of their order:
// "party_id role share" per split, sorted by party and role, joined by
// "; ". Shares are written as exact decimals without trailing zeros, so
// two split lists are equal exactly when their canonical forms are.
func SplitsString(splits []avro.Split) string {
	if len(splits) == 0 {
		return ""
	}
	s := slices.Clone(splits)
	slices.SortFunc(s, func(a, b avro.Split) int {
		return cmp.Or(cmp.Compare(a.PartyID, b.PartyID), cmp.Compare(a.Role, b.Role), a.Share.Cmp(b.Share))
	})
	var b strings.Builder
	for i, sp := range s {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(sp.PartyID)
		b.WriteByte(' ')
		b.WriteString(sp.Role)
		b.WriteByte(' ')
		b.WriteString(sp.Share.String())
	}
	return b.String()
}

// SplitsHash is a 64-bit hash of what SplitsString renders: the multiset
// of (party id, role, share value) of splits. Split lists with the same
// SplitsString have the same hash; other lists, but for a collision, have
// different hashes. It is computed from the values, never from a text
// form or the process, so it may be stored (package drift keeps it to
// tell, from its own state, whether the splits its usage was checked
// against still hold), and it allocates nothing for up to 8 splits whose
// share coefficients fit in 18 digits.
//
// Definition, with FNV-1a 64 as h(bytes): each split is hashed as
// h(uvarint len(party id), party id, uvarint len(role), role, share),
// the share as its coefficient stripped of trailing zeros and its
// exponent adjusted to match (0 and 0 for zero): the byte 0, the
// coefficient as a varint and the exponent as a varint when the
// coefficient fits in an int64, otherwise the byte 1, the byte 0 or 1
// for a positive or negative sign, the absolute coefficient's big-endian
// bytes as uvarint length and bytes, and the exponent as a varint. The
// split hashes are sorted and the result is h(uvarint count, each split
// hash as 8 little-endian bytes).
func SplitsHash(splits []avro.Split) uint64 {
	var buf [8]uint64
	hs := buf[:0]
	for i := range splits {
		hs = append(hs, splitHash(&splits[i]))
	}
	slices.Sort(hs)
	h := fnvHash(fnvOffset).uvarint(uint64(len(hs)))
	for _, x := range hs {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], x)
		h = h.bytes(b[:])
	}
	return uint64(h)
}

func splitHash(s *avro.Split) uint64 {
	h := fnvHash(fnvOffset).uvarint(uint64(len(s.PartyID))).string(s.PartyID)
	h = h.uvarint(uint64(len(s.Role))).string(s.Role)
	d := s.Share
	if d.NumDigits() <= 18 { // the coefficient fits in an int64
		c, e := d.CoefficientInt64(), int64(d.Exponent())
		if c == 0 {
			e = 0
		}
		for c != 0 && c%10 == 0 {
			c /= 10
			e++
		}
		return uint64(h.byte(0).varint(c).varint(e))
	}
	c, e := d.Coefficient(), int64(d.Exponent())
	var q, r big.Int
	for c.Sign() != 0 {
		q.QuoRem(c, bigTen, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		e++
	}
	if c.IsInt64() {
		return uint64(h.byte(0).varint(c.Int64()).varint(e))
	}
	sign := byte(0)
	if c.Sign() < 0 {
		sign = 1
	}
	mag := c.Bytes()
	return uint64(h.byte(1).byte(sign).uvarint(uint64(len(mag))).bytes(mag).varint(e))
}

var bigTen = big.NewInt(10)

// fnvHash is an FNV-1a 64-bit hash state.
type fnvHash uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (h fnvHash) byte(c byte) fnvHash { return (h ^ fnvHash(c)) * fnvPrime }

func (h fnvHash) bytes(b []byte) fnvHash {
	for _, c := range b {
		h = (h ^ fnvHash(c)) * fnvPrime
	}
	return h
}

func (h fnvHash) string(s string) fnvHash {
	for i := 0; i < len(s); i++ {
		h = (h ^ fnvHash(s[i])) * fnvPrime
	}
	return h
}

func (h fnvHash) uvarint(v uint64) fnvHash {
	var b [binary.MaxVarintLen64]byte
	return h.bytes(b[:binary.PutUvarint(b[:], v)])
}

func (h fnvHash) varint(v int64) fnvHash {
	var b [binary.MaxVarintLen64]byte
	return h.bytes(b[:binary.PutVarint(b[:], v)])
}
