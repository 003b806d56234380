package tui

import "github.com/svcviz/svcviz/model"

// Text from a manifest (names, labels, port names, container names, a node name from
// spec.nodeName, the hop places netsim builds from them) reaches the screen only through these
// two functions, applied once where the scene, the hop rows and the picker entries are built:
// no manifest can move the cursor, change colours or ring the bell. Widths are measured after.

// safe makes manifest text terminal-safe for the panes and lists, which measure display width
// (wide characters are kept).
func safe(s string) string { return model.Escape(s) }
