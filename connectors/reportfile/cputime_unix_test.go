//go:build unix

package reportfile

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the test process has
// used, so that benchmarks can report throughput per CPU second on a
// shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
