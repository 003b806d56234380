// Package canvas is a grid of terminal cells for the diagram: boxes and edges are drawn as line
// directions per cell, so crossings and junctions get the right glyph (┬ ┼ ├) whatever order
// they are drawn in, and text sits on top. It knows nothing of colours: each cell carries a
// small style class that the caller maps to a lipgloss style when rendering a row.
package canvas

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// WideTail is the cell right of a wide rune (Hangul, CJK): the rune on its left covers it,
// so it is drawn as nothing; alone at a viewport's edge it is drawn as a blank.
const WideTail rune = -1

// Style is a caller-defined style class; 0 is unstyled.
type Style uint8

// Dir is a set of line directions leaving a cell.
type Dir uint8

// Line directions.
const (
	Up Dir = 1 << iota
	Down
	Left
	Right
)

// Cell is one terminal cell. A non-zero rune wins over line bits.
type Cell struct {
	R     rune
	Lines Dir
	S     Style
}

// Point is a cell position.
type Point struct{ X, Y int }

// Rect is a rectangle of cells.
type Rect struct{ X, Y, W, H int }

// Right is the first column right of r; Bottom the first row below r.
func (r Rect) Right() int  { return r.X + r.W }
func (r Rect) Bottom() int { return r.Y + r.H }

// Overlaps reports whether r and o share a cell.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.Right() && o.X < r.Right() && r.Y < o.Bottom() && o.Y < r.Bottom()
}

// Contains reports whether o lies entirely inside r.
func (r Rect) Contains(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.Right() <= r.Right() && o.Bottom() <= r.Bottom()
}

// Inside reports whether p is strictly inside r's border.
func (r Rect) Inside(p Point) bool {
	return p.X > r.X && p.X < r.Right()-1 && p.Y > r.Y && p.Y < r.Bottom()-1
}

// Glyphs is a glyph set: the rune for each combination of line directions.
type Glyphs struct {
	Lines [16]rune
}

// Unicode draws with box-drawing characters.
var Unicode = Glyphs{Lines: [16]rune{
	' ', '│', '│', '│', '─', '┘', '┐', '┤', '─', '└', '┌', '├', '─', '┴', '┬', '┼',
}}

// ASCII draws with - | +, for terminals where box drawing is ambiguous-width.
var ASCII = Glyphs{Lines: [16]rune{
	' ', '|', '|', '|', '-', '+', '+', '+', '-', '+', '+', '+', '-', '+', '+', '+',
}}

// Canvas is a W×H grid of cells.
type Canvas struct {
	W, H  int
	cells []Cell
}

// New returns an empty canvas.
func New(w, h int) *Canvas {
	w, h = max(w, 0), max(h, 0)
	return &Canvas{W: w, H: h, cells: make([]Cell, w*h)}
}

func (c *Canvas) in(x, y int) bool { return x >= 0 && y >= 0 && x < c.W && y < c.H }

// At returns the cell at x, y (the zero cell outside the canvas).
func (c *Canvas) At(x, y int) Cell {
	if !c.in(x, y) {
		return Cell{}
	}
	return c.cells[y*c.W+x]
}

// Set puts a rune with a style.
func (c *Canvas) Set(x, y int, r rune, s Style) {
	if c.in(x, y) {
		c.cells[y*c.W+x] = Cell{R: r, S: s}
	}
}

// Text writes s from x, y, clipped to the canvas and to max cells (<=0: no limit): a rune a
// cell, a wide rune (a translated label in Hangul) two, the second a WideTail. A wide rune
// that would straddle the limit is left out.
func (c *Canvas) Text(x, y int, s string, st Style, max int) {
	n := 0
	for _, r := range s {
		w := 1
		if r >= 0x1100 && ansi.StringWidth(string(r)) == 2 {
			w = 2
		}
		if max > 0 && n+w > max {
			return
		}
		c.Set(x+n, y, r, st)
		if w == 2 {
			c.Set(x+n+1, y, WideTail, st)
		}
		n += w
	}
}

func (c *Canvas) addLine(x, y int, d Dir, s Style) {
	if !c.in(x, y) {
		return
	}
	cell := &c.cells[y*c.W+x]
	cell.Lines |= d
	if cell.R == 0 {
		cell.S = s
	}
}

// HLine draws a horizontal line between x1 and x2 on row y.
func (c *Canvas) HLine(x1, x2, y int, s Style) {
	if x1 > x2 {
		x1, x2 = x2, x1
	}
	for x := x1; x <= x2; x++ {
		var d Dir
		if x > x1 {
			d |= Left
		}
		if x < x2 {
			d |= Right
		}
		c.addLine(x, y, d, s)
	}
}

// VLine draws a vertical line between y1 and y2 in column x.
func (c *Canvas) VLine(x, y1, y2 int, s Style) {
	if y1 > y2 {
		y1, y2 = y2, y1
	}
	for y := y1; y <= y2; y++ {
		var d Dir
		if y > y1 {
			d |= Up
		}
		if y < y2 {
			d |= Down
		}
		c.addLine(x, y, d, s)
	}
}

// Box draws r's border and clears its inside.
func (c *Canvas) Box(r Rect, s Style) {
	if r.W < 2 || r.H < 2 {
		return
	}
	for y := r.Y + 1; y < r.Bottom()-1; y++ {
		for x := r.X + 1; x < r.Right()-1; x++ {
			if c.in(x, y) {
				c.cells[y*c.W+x] = Cell{}
			}
		}
	}
	c.HLine(r.X, r.Right()-1, r.Y, s)
	c.HLine(r.X, r.Right()-1, r.Bottom()-1, s)
	c.VLine(r.X, r.Y, r.Bottom()-1, s)
	c.VLine(r.Right()-1, r.Y, r.Bottom()-1, s)
}

// Path draws line segments along a cell path (each step one cell horizontally or vertically),
// skipping the cells skip reports (the inside of boxes the path tunnels through).
func (c *Canvas) Path(pts []Point, s Style, skip func(Point) bool) {
	for i, p := range pts {
		if skip != nil && skip(p) {
			continue
		}
		var d Dir
		if i > 0 {
			d |= dirTo(p, pts[i-1])
		}
		if i < len(pts)-1 {
			d |= dirTo(p, pts[i+1])
		}
		c.addLine(p.X, p.Y, d, s)
	}
}

func dirTo(from, to Point) Dir {
	switch {
	case to.Y < from.Y:
		return Up
	case to.Y > from.Y:
		return Down
	case to.X < from.X:
		return Left
	case to.X > from.X:
		return Right
	}
	return 0
}

// Rune is the glyph shown for a cell.
func (c Cell) Rune(g *Glyphs) rune {
	if c.R != 0 {
		return c.R
	}
	return g.Lines[c.Lines&15]
}

// Overlay is a cell drawn over the canvas for one frame (the packet, a verdict mark).
type Overlay struct {
	P Point
	R rune
	S Style
}

// RenderRow renders cells x0..x0+w-1 of row y as runs of equal style, each passed to paint,
// with overlays on top. The result is exactly w cells wide.
func (c *Canvas) RenderRow(y, x0, w int, g *Glyphs, paint func(Style, string) string, over []Overlay) string {
	var out, run strings.Builder
	cur := Style(0)
	flush := func() {
		if run.Len() > 0 {
			out.WriteString(paint(cur, run.String()))
			run.Reset()
		}
	}
	for x := x0; x < x0+w; x++ {
		cell := c.At(x, y)
		for _, o := range over {
			if o.P.X == x && o.P.Y == y {
				cell = Cell{R: o.R, S: o.S}
			}
		}
		if cell.S != cur {
			flush()
			cur = cell.S
		}
		switch {
		case cell.R == WideTail && x > x0:
			continue // drawn by the wide rune on its left
		case cell.R == WideTail, x == x0+w-1 && cell.R >= 0x1100 && ansi.StringWidth(string(cell.R)) == 2:
			run.WriteByte(' ') // half a wide rune at the viewport's edge
			continue
		}
		run.WriteRune(cell.Rune(g))
	}
	flush()
	return out.String()
}

// Route expands a polyline (corners, each leg horizontal or vertical) into cells.
func Route(corners ...Point) []Point {
	var out []Point
	for i, p := range corners {
		if i == 0 {
			out = append(out, p)
			continue
		}
		q := out[len(out)-1]
		for q != p {
			switch {
			case q.X < p.X:
				q.X++
			case q.X > p.X:
				q.X--
			case q.Y < p.Y:
				q.Y++
			default:
				q.Y--
			}
			out = append(out, q)
		}
	}
	return out
}
