package avro

import (
	"sync"

	"github.com/linkedin/goavro/v2"
)

// Decoding limits. goavro sizes its buffers from the block counts and byte
// lengths a message declares, up to math.MaxInt32 by default, so a single
// corrupt or hostile record could make a consumer allocate gigabytes and
// die. No ledgerline record comes near these bounds. goavro keeps them in
// process-wide variables; they are lowered once, when the first registry
// is built, and never changed afterwards.
const (
	maxBlockCount = 1 << 20  // items in one array or map block
	maxBlockSize  = 64 << 20 // bytes in one bytes or string value
)

var limitsOnce sync.Once

func applyDecodeLimits() {
	limitsOnce.Do(func() {
		goavro.MaxBlockCount = maxBlockCount
		goavro.MaxBlockSize = maxBlockSize
	})
}
