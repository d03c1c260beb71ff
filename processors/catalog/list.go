package catalog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

const listLayout = 1

var errBadList = errors.New("catalog: malformed ISRC list")

// decodeList decodes an ISRC list value (see keys.go).
func decodeList(b []byte) ([]string, error) {
	if len(b) == 0 || b[0] != listLayout {
		return nil, fmt.Errorf("%w: layout byte", errBadList)
	}
	b = b[1:]
	var out []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, fmt.Errorf("%w: truncated entry", errBadList)
		}
		out = append(out, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return out, nil
}

func encodeList(isrcs []string) []byte {
	n := 1
	for _, s := range isrcs {
		n += binary.MaxVarintLen64 + len(s)
	}
	b := make([]byte, 1, n)
	b[0] = listLayout
	for _, s := range isrcs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// listAdd adds isrc to the list stored under key, if not there.
func (c *Catalog) listAdd(key []byte, isrc string) error {
	list, err := c.readList(key)
	if err != nil {
		return err
	}
	if slices.Contains(list, isrc) {
		return nil
	}
	if err := c.kv.Put(key, encodeList(append(list, isrc))); err != nil {
		return fmt.Errorf("catalog: write %q: %w", key, err)
	}
	return nil
}

// listRemove removes isrc from the list stored under key, deleting the key
// when the list becomes empty.
func (c *Catalog) listRemove(key []byte, isrc string) error {
	list, err := c.readList(key)
	if err != nil {
		return err
	}
	i := slices.Index(list, isrc)
	if i < 0 {
		return nil
	}
	list = slices.Delete(list, i, i+1)
	if len(list) == 0 {
		err = c.kv.Delete(key)
	} else {
		err = c.kv.Put(key, encodeList(list))
	}
	if err != nil {
		return fmt.Errorf("catalog: write %q: %w", key, err)
	}
	return nil
}

func (c *Catalog) readList(key []byte) ([]string, error) {
	b, ok, err := c.kv.Get(key)
	if err != nil {
		return nil, fmt.Errorf("catalog: read %q: %w", key, err)
	}
	if !ok {
		return nil, nil
	}
	list, err := decodeList(b)
	if err != nil {
		return nil, fmt.Errorf("catalog: read %q: %w", key, err)
	}
	return list, nil
}
