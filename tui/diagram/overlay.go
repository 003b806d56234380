package diagram

import "github.com/svcviz/svcviz/tui/canvas"

// Overlays are what is drawn over the static diagram at step, travel cells along its path:
// the packet (glyph), and, once the packet has stopped, the verdict mark (such as
// "✗ refused") beside where it did. Labels win: the packet and the mark are drawn beside text
// the diagram has there (the nodePort on the node's edge, the Service's name in its box),
// never over it.
func (d *Diagram) Overlays(step, travel int, glyph []rune, verdict string) []canvas.Overlay {
	at := d.PacketAt(step, travel)
	stopped := d.Stop >= 0 && step >= d.Stop
	st := StylePacket
	if stopped && step == d.Stop {
		st = StyleBad
	}
	c := d.Canvas
	var over []canvas.Overlay
	if x, ok := besideText(c, at, len(glyph)); ok {
		for i, r := range glyph {
			over = append(over, canvas.Overlay{P: canvas.Point{X: x + i, Y: at.Y}, R: r, S: st})
		}
	}
	if !stopped {
		return over
	}
	mark := markCells(verdict)
	packet := func(x, y int) bool {
		for _, o := range over {
			if o.P.X == x && o.P.Y == y {
				return true
			}
		}
		return false
	}
	l := d.Layout
	p := l.Places[d.Places[d.Stop]]
	mat := markPlace(c, p, len(mark), packet)
	if pl := d.Places[d.Stop]; pl.Kind == PlacePod && l.Scene.StopRow && pl.I < len(l.Pods) {
		// inside the refusing Pod's box, on the line it keeps for this
		pb := l.Pods[pl.I]
		mat = canvas.Point{X: pb.X + 1, Y: pb.Bottom() - 2}
		mark = markCells(Truncate(verdict, pb.W-2, l.Scene.ell()))
	}
	for i, r := range mark {
		if x := mat.X + i; !isText(c, x, mat.Y) {
			over = append(over, canvas.Overlay{P: canvas.Point{X: x, Y: mat.Y}, R: r, S: StyleBad})
		}
	}
	return over
}

// markCells is a verdict mark a rune a cell, a wide rune (a Korean verdict) followed by a
// canvas.WideTail.
func markCells(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, r)
		if runeCells(string(r)) == 2 {
			out = append(out, canvas.WideTail)
		}
	}
	return out
}

// markPlace is where an n-cell verdict mark goes for a stop at p: right of it on its row (past
// any label there and the packet, a cell apart), else left of it, else on the row below or
// above; busy is a cell the packet is on.
func markPlace(c *canvas.Canvas, p canvas.Point, n int, busy func(x, y int) bool) canvas.Point {
	fits := func(x, y int) bool {
		if x < 0 || x+n > c.W || y < 0 || y >= c.H || !free(c, x-1, y, n+2) {
			return false
		}
		for i := x - 1; i <= x+n; i++ {
			if busy(i, y) {
				return false
			}
		}
		return true
	}
	for _, y := range []int{p.Y, p.Y + 1, p.Y - 1} {
		for k := 2; k <= 12; k++ {
			if fits(p.X+k, y) {
				return canvas.Point{X: p.X + k, Y: y}
			}
		}
		for k := 1; k <= 12; k++ {
			if fits(p.X-k-n, y) {
				return canvas.Point{X: p.X - k - n, Y: y}
			}
		}
	}
	return canvas.Point{X: p.X + 2, Y: p.Y}
}

// besideText is where an n-cell overlay goes for point p: on p itself when no text is there,
// else the nearest place on the row beside the text, within a few cells; false when there is
// none (the label wins and the overlay is not drawn).
func besideText(c *canvas.Canvas, p canvas.Point, n int) (int, bool) {
	if free(c, p.X, p.Y, n) {
		return p.X, true
	}
	for k := 1; k <= 8; k++ {
		if x := p.X + k; free(c, x, p.Y, n) && x+n <= c.W {
			return x, true
		}
		if x := p.X - k; x >= 0 && free(c, x, p.Y, n) {
			return x, true
		}
	}
	return 0, false
}

// free reports whether cells x..x+n-1 of row y hold no text (lines and blanks may be covered).
func free(c *canvas.Canvas, x, y, n int) bool {
	for i := range n {
		if isText(c, x+i, y) {
			return false
		}
	}
	return true
}

func isText(c *canvas.Canvas, x, y int) bool {
	r := c.At(x, y).R
	return r != 0 && r != ' '
}

// Hidden counts the Pods whose name a viewport does not show (the first line in the box, left
// edge to right edge), with those left out of the layout (Scene.Off), so a caller can say
// they exist.
func (d *Diagram) Hidden(view canvas.Rect) int {
	n := d.Layout.Scene.Off
	for _, p := range d.Layout.Pods {
		if name := p.Y + 1; name < view.Y || name >= view.Bottom() || p.X < view.X || p.Right() > view.Right() {
			n++
		}
	}
	return n
}
