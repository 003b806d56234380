package tui

import (
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/model"
)

// Text from a manifest (names, labels, port names, container names, a node name from
// spec.nodeName, the hop places netsim builds from them) reaches the screen only through these
// two functions, applied once where the scene, the hop rows and the picker entries are built:
// no manifest can move the cursor, change colours or ring the bell. Widths are measured after.

// safe makes manifest text terminal-safe for the panes and lists, which measure display width
// (wide characters are kept).
func safe(s string) string { return model.Escape(s) }

// cellSafe makes manifest text safe for the diagram's canvas, which holds one single-width rune
// per cell and whose layout measures text in bytes: escaped, and anything outside printable
// ASCII written as a Go escape. Valid Kubernetes names are ASCII and come through unchanged.
func cellSafe(s string) string {
	s = model.Escape(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x7f {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
