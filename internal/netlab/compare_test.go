package netlab

import (
	"math"
	"testing"
)

// TestCoverSends: the packets allowed before a never-chosen endpoint is a disagreement make a
// miss by chance less likely than 1e-9, and not many more than that.
func TestCoverSends(t *testing.T) {
	for n, want := range map[int]int{1: 1, 2: 31, 3: 54, 4: 77} {
		k := coverSends(n)
		if k != want {
			t.Errorf("coverSends(%d) = %d, want %d", n, k, want)
		}
		if n > 1 {
			if miss := float64(n) * math.Pow(1-1/float64(n), float64(k)); miss >= 1e-9 {
				t.Errorf("n=%d k=%d: a miss by chance has probability %g", n, k, miss)
			}
		}
	}
}
