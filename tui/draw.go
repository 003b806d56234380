package tui

import (
	"strings"

	"github.com/svcviz/svcviz/tui/canvas"
)

// draw paints the static diagram: boxes, every edge (faded), the edges this trace uses
// (bright), then text on top. It runs once per size and trace, never per frame.
func (l *layout) draw(used map[int]bool) *canvas.Canvas {
	c := canvas.New(l.W, l.H)
	for _, nb := range l.Nodes {
		l.drawNode(c, nb)
	}
	for i, e := range l.Edges {
		if !used[i] && !l.crossNode(e) {
			c.Path(e.Pts, stFaded, l.inSolid)
		}
	}
	for i, e := range l.Edges {
		if used[i] {
			c.Path(e.Pts, stEdge, l.inSolid)
		}
	}
	l.drawLabels(c)
	return c
}

// crossNode edges are drawn only when a packet takes them: they would cross every node (and
// the wire view's node-to-node ways would double the client's).
func (l *layout) crossNode(e edge) bool {
	return e.A.I != e.B.I && (e.A.Kind == plSvc && e.B.Kind == plCNI || e.A.Kind == plEntry && e.B.Kind == plEntry)
}

func (l *layout) drawNode(c *canvas.Canvas, nb nodeBox) {
	c.Box(nb.Rect, stNode)
	c.Box(nb.Net, stNode)
	c.Box(nb.Svc, stService)
	for r, y := range nb.Bus {
		lo, hi := nb.Trunk, nb.Trunk
		if r == 0 {
			lo, hi = nb.Entry.X, nb.Entry.X
		}
		for _, p := range l.Pods {
			if p.Y == y+1 && p.X >= nb.X && p.X < nb.Right() {
				lo, hi = min(lo, p.Drop), max(hi, p.Drop)
				c.VLine(p.Drop, y, p.Y, stNode)
			}
		}
		if len(nb.Bus) > 1 {
			hi = max(hi, nb.Trunk)
		}
		c.HLine(lo, hi, y, stNode)
	}
	if len(nb.Bus) > 1 {
		c.VLine(nb.Trunk, nb.Bus[0], nb.Bus[len(nb.Bus)-1], stNode)
	}
}

func (l *layout) drawLabels(c *canvas.Canvas) {
	c.Box(l.Client, stClient)
	c.Text(l.Client.X+2, l.Client.Y+1, l.sc.Client, stClient, 0)
	if l.sc.DNS != "" {
		c.Box(l.DNS, stClient)
		c.Text(l.DNS.X+2, l.DNS.Y+1, l.sc.DNS, stClient, 0)
	}
	for i, nb := range l.Nodes {
		c.Text(nb.X+2, nb.Y, nb.Title, stTitle, nb.Entry.X-nb.X-4)
		if nb.IPRow {
			c.Text(nb.X+2, nb.Y+1, nb.IP, stAddr, 0)
		}
		if l.sc.Port != "" {
			c.Text(nb.Entry.X-len(l.sc.Port)/2, nb.Y, l.sc.Port, stEdge, 0)
		}
		if mk := l.sc.Mark; mk.Text != "" {
			st := stEdge
			if mk.Bad {
				st = stBad
			}
			c.Text(max(nb.Svc.Right()-2-len([]rune(mk.Text)), nb.Svc.X+1), nb.Svc.Y, mk.Text, st, nb.Svc.W-2)
		}
		for k, line := range l.svcLines(nb.Svc.W - 4) {
			l.svcText(c, nb.Svc.X+2, nb.Svc.Y+1+k, line, nb.Svc.W-4)
		}
		cidr := " " + l.sc.Nodes[i].PodCIDR.String() + " "
		c.Text(nb.Net.X+2, nb.Net.Y, cidr, stAddr, nb.Net.W-4)
		c.Text(nb.Net.X+2, nb.Bus[0], nb.CNILabel, stNode, 0)
		if l.sc.NoPodMsg != "" {
			c.Text(nb.Net.X+2, nb.Bus[0]+2, l.sc.NoPodMsg, stFaded, nb.Net.W-4)
		}
	}
	for _, p := range l.Pods {
		l.drawPod(c, p)
	}
}

// svcText writes the Service's name bright, the note that it is on every node plain and its
// address in the address colour.
func (l *layout) svcText(c *canvas.Canvas, x, y int, line string, w int) {
	name := l.sc.SvcName
	switch {
	case strings.HasPrefix(line, "("):
		c.Text(x, y, trunc(line, w), stNode, w)
	case !strings.HasPrefix(line, name):
		c.Text(x, y, trunc(line, w), stAddr, w)
	default:
		c.Text(x, y, trunc(line, w), stTitle, w)
		rest := line[len(name):]
		if note, after, ok := strings.Cut(rest, ")"); ok && strings.HasPrefix(rest, " (") {
			c.Text(x+len(name), y, trunc(note+")", w-len(name)), stNode, w-len(name))
			name, rest = name+note+")", after
		}
		if rest != "" {
			c.Text(x+len(name), y, trunc(rest, w-len(name)), stAddr, w-len(name))
		}
	}
}

func (l *layout) drawPod(c *canvas.Canvas, p podBox) {
	st, text := stPod, stTitle
	if p.Item.Faded {
		st, text = stFaded, stFaded
	}
	c.Box(p.Rect, st)
	w, y := p.W-2, p.Y+1
	if p.H == 5 {
		c.Text(p.X+1, y, trunc(p.Item.Show, w), text, w)
		y++
		c.Text(p.X+1, y, trunc(strings.TrimSpace(p.Item.Title[len(p.Item.Show):]), w), stAddr, w)
	} else {
		c.Text(p.X+1, y, fitTitle(p.Item, w), text, w)
	}
	c.Text(p.X+1, y+1, trunc(p.Item.Sub, w), st, w)
	if p.Item.Origin {
		c.Text(p.X+p.W-8, p.Bottom()-1, "sender", stEdge, 6)
	}
}

// fitTitle keeps the address whole and shortens the name, since the address is what the
// packet's label refers to.
func fitTitle(it podItem, w int) string {
	if len(it.Title) <= w {
		return it.Title
	}
	addr := it.Title[len(it.Show):]
	return trunc(it.Show, w-len(addr)) + addr
}

// trunc shortens ASCII text to w cells with a trailing "~".
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if len(s) <= w {
		return s
	}
	return s[:w-1] + "~"
}
