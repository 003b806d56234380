package canvas

import (
	"strings"
	"testing"
)

// plain renders every row without styles.
func plain(c *Canvas, g *Glyphs) string {
	var rows []string
	for y := range c.H {
		rows = append(rows, c.RenderRow(y, 0, c.W, g, func(_ Style, s string) string { return s }, nil))
	}
	return strings.Join(rows, "\n")
}

// Lines that meet join with the right glyph whatever order they are drawn in; a box clears
// its inside, so what is drawn into it comes after it.
func TestJunctionsWhateverTheOrder(t *testing.T) {
	want := "┌─┬─┐\n" +
		"│ │ │\n" +
		"├─┼─┤\n" +
		"│ │ │\n" +
		"└─┴─┘"
	draw := []func(c *Canvas){
		func(c *Canvas) { c.Box(Rect{0, 0, 5, 5}, 1) },
		func(c *Canvas) { c.HLine(0, 4, 2, 1) },
		func(c *Canvas) { c.VLine(2, 0, 4, 1) },
	}
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}} {
		c := New(5, 5)
		for _, i := range order {
			draw[i](c)
		}
		if got := plain(c, &Unicode); got != want {
			t.Errorf("order %v:\n%s\nwant\n%s", order, got, want)
		}
	}
	c := New(5, 5)
	draw[1](c)
	draw[0](c)
	if got := plain(c, &Unicode); got != "┌───┐\n│   │\n├   ┤\n│   │\n└───┘" {
		t.Errorf("a box drawn last keeps only what meets its border:\n%s", got)
	}
	c = New(5, 5)
	for _, d := range draw {
		d(c)
	}
	if got := plain(c, &ASCII); !strings.HasPrefix(got, "+-+-+\n| | |\n+-+-+") {
		t.Errorf("ASCII glyphs:\n%s", got)
	}
}

// Text sits on top of lines, is cut at its maximum width and at the canvas's edge.
func TestTextOverLinesAndEdges(t *testing.T) {
	c := New(6, 1)
	c.HLine(0, 5, 0, 0)
	c.Text(1, 0, "abcdef", 2, 3)
	if got := plain(c, &Unicode); got != "─abc──" {
		t.Errorf("text over a line: %q", got)
	}
	if c.At(1, 0).S != 2 || c.At(0, 0).R != 0 {
		t.Errorf("cells: %+v %+v", c.At(1, 0), c.At(0, 0))
	}
	c.Text(4, 0, "xyz", 0, 0)
	if got := plain(c, &Unicode); got != "─abcxy" {
		t.Errorf("text past the edge: %q", got)
	}
	if (c.At(-1, 0) != Cell{}) || (c.At(6, 0) != Cell{}) {
		t.Error("cells outside the canvas are not empty")
	}
}

// A path goes corner to corner and turns with the right glyphs; skip leaves cells alone.
func TestRouteAndPath(t *testing.T) {
	pts := Route(Point{0, 0}, Point{0, 2}, Point{3, 2})
	if len(pts) != 6 || pts[0] != (Point{0, 0}) || pts[5] != (Point{3, 2}) {
		t.Fatalf("route %v", pts)
	}
	c := New(4, 3)
	c.Path(pts, 1, func(p Point) bool { return p == (Point{2, 2}) })
	if got := plain(c, &Unicode); got != "│   \n│   \n└─ ─" {
		t.Errorf("path:\n%s", got)
	}
}

// A row renders a window of the canvas, styles run by run, overlays on top.
func TestRenderRowWindowStylesOverlays(t *testing.T) {
	c := New(6, 1)
	c.Text(0, 0, "aabbcc", 0, 0)
	for x := 2; x < 4; x++ {
		c.Set(x, 0, rune("aabbcc"[x]), 1)
	}
	paint := func(s Style, text string) string {
		if s == 0 {
			return text
		}
		return "[" + text + "]"
	}
	if got := c.RenderRow(0, 1, 4, &Unicode, paint, nil); got != "a[bb]c" {
		t.Errorf("window with styles: %q", got)
	}
	over := []Overlay{{P: Point{3, 0}, R: '●', S: 2}}
	if got := c.RenderRow(0, 0, 6, &Unicode, paint, over); got != "aa[b][●]cc" {
		t.Errorf("overlay: %q", got)
	}
	if got := c.RenderRow(0, 4, 4, &Unicode, paint, nil); got != "cc  " {
		t.Errorf("past the right edge: %q", got)
	}
}

// Rectangles: edges, overlap, containment and the inside of a border.
func TestRect(t *testing.T) {
	r := Rect{X: 1, Y: 1, W: 4, H: 3}
	if r.Right() != 5 || r.Bottom() != 4 {
		t.Errorf("right %d bottom %d", r.Right(), r.Bottom())
	}
	if !r.Overlaps(Rect{4, 3, 2, 2}) || r.Overlaps(Rect{5, 1, 2, 2}) {
		t.Error("overlap")
	}
	if !r.Contains(Rect{2, 2, 2, 1}) || r.Contains(Rect{0, 1, 2, 1}) {
		t.Error("contains")
	}
	if !r.Inside(Point{2, 2}) || r.Inside(Point{1, 2}) || r.Inside(Point{4, 2}) {
		t.Error("inside")
	}
}

// Wide runes (a Korean label) take two cells: rows keep their width, a limit never splits a
// rune, and a viewport edge through one shows a blank.
func TestWideText(t *testing.T) {
	c := New(8, 1)
	c.Text(0, 0, "가a나다", 0, 6)
	id := func(_ Style, s string) string { return s }
	if got := c.RenderRow(0, 0, 8, &Unicode, id, nil); got != "가a나   " {
		t.Fatalf("row %q", got)
	}
	if got := c.RenderRow(0, 1, 4, &Unicode, id, nil); got != " a나" {
		t.Fatalf("from inside a wide rune: %q", got)
	}
	if got := c.RenderRow(0, 0, 4, &Unicode, id, nil); got != "가a " {
		t.Fatalf("to inside a wide rune: %q", got)
	}
}
