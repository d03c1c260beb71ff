package tabular

import (
	"bufio"
	"bytes"
	"io"

	"github.com/ledgerline/ledgerline/connectors/reportfile/linereader"
)

// Delimiters returns the delimiters GuessDelimiter tries, in order of
// preference.
func Delimiters() []byte { return []byte{'\t', ',', ';', '|'} }

// sniffRecords is how many records of the sample GuessDelimiter examines.
const sniffRecords = 30

// GuessDelimiter returns the delimiter that splits the records of sample
// into the most consistent number of cells (more than one), or 0 when no
// candidate splits anything. When atEOF is false the last record of the
// sample may be cut and is ignored.
func GuessDelimiter(sample []byte, atEOF bool) byte {
	var best byte
	bestScore := 0
	for _, d := range Delimiters() {
		counts := SampleCellCounts(sample, atEOF, d, sniffRecords)
		freq := map[int]int{}
		mode, modeFreq := 0, 0
		for _, n := range counts {
			if n < 2 {
				continue
			}
			freq[n]++
			if freq[n] > modeFreq || (freq[n] == modeFreq && n > mode) {
				mode, modeFreq = n, freq[n]
			}
		}
		if score := modeFreq*1000 + min(mode, 999); modeFreq > 0 && score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// SampleCellCounts returns the cell counts of the first non-blank records
// of sample split by delim.
func SampleCellCounts(sample []byte, atEOF bool, delim byte, limit int) []int {
	var counts []int
	err := EachSampleRecord(sample, atEOF, delim, func(rec *Record) bool {
		if !rec.Blank() {
			counts = append(counts, rec.Len())
		}
		return len(counts) < limit
	})
	if err != nil {
		return nil
	}
	return counts
}

// maxSampleRecords bounds the records EachSampleRecord reads, blank ones
// included.
const maxSampleRecords = 500

// EachSampleRecord calls fn for each complete record of sample until fn
// returns false, or for the first maxSampleRecords records. When atEOF is
// false the last record is not passed, since it may be cut.
func EachSampleRecord(sample []byte, atEOF bool, delim byte, fn func(*Record) bool) error {
	if !atEOF {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		} else {
			return nil
		}
	}
	lr := linereader.New(bufio.NewReader(bytes.NewReader(sample)), len(sample)+1, true)
	rr := NewReader(lr, Options{Delimiter: delim})
	for n := 0; n < maxSampleRecords; n++ {
		rec, err := rr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !atEOF && rec.Problem != "" && rec.Lines == 1 && rr.qpos < len(rr.queue) {
			// A quoted cell reaching the cut end of the sample.
			return nil
		}
		if !fn(rec) {
			return nil
		}
	}
	return nil
}
