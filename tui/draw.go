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
		if !used[i] && !l.crossNode(e) && !l.offWire(e) {
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

// offWire edges are the teaching view's way through the Service's box, which the wire view
// leaves out: no packet on the wire is addressed to the Service.
func (l *layout) offWire(e edge) bool {
	return l.wire && (e.A.Kind == plSvc || e.B.Kind == plSvc)
}

// svcStyle is the Service box's style: dimmed in the wire view, where no packet goes into it.
func (l *layout) svcStyle(st canvas.Style) canvas.Style {
	if l.wire {
		return stFaded
	}
	return st
}

func (l *layout) drawNode(c *canvas.Canvas, nb nodeBox) {
	c.Box(nb.Rect, stNode)
	c.Box(nb.Net, stNode)
	c.Box(nb.Svc, l.svcStyle(stService))
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
	cs := stClient
	if !l.sc.External {
		cs = stFaded // the packet does not start there: no way in is drawn from it
	}
	c.Box(l.Client, cs)
	c.Text(l.Client.X+2, l.Client.Y+1, l.sc.Client, cs, 0)
	if l.sc.ClientMark != "" {
		c.Text(l.Client.Right()+1, l.Client.Y+1, l.sc.ClientMark, stBad, 0)
	}
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
		c.Text(x, y, l.trunc(line, w), l.svcStyle(stNode), w)
	case !strings.HasPrefix(line, name):
		c.Text(x, y, l.trunc(line, w), l.svcStyle(stAddr), w)
	default:
		c.Text(x, y, l.trunc(line, w), l.svcStyle(stTitle), w)
		rest := line[len(name):]
		for {
			note, after, ok := strings.Cut(rest, ")")
			if !ok || !strings.HasPrefix(rest, " (") {
				break
			}
			c.Text(x+len(name), y, l.trunc(note+")", w-len(name)), l.svcStyle(stNode), w-len(name))
			name, rest = name+note+")", after
		}
		if rest != "" {
			c.Text(x+len(name), y, l.trunc(rest, w-len(name)), l.svcStyle(stAddr), w-len(name))
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
	if p.H-badLine(l.sc) == 5 {
		c.Text(p.X+1, y, nsName(p.Item.NS, p.Item.Show, w, l.sc.ell()), text, w)
		y++
		c.Text(p.X+1, y, l.trunc(strings.TrimSpace(p.Item.Title[len(p.Item.NS)+len(p.Item.Show):]), w), stAddr, w)
	} else {
		c.Text(p.X+1, y, l.fitTitle(p.Item, w), text, w)
	}
	c.Text(p.X+1, y+1, l.trunc(p.Item.Sub, w), st, w)
	if p.Item.Bad != "" {
		c.Text(p.X+1, y+2, l.trunc(l.sc.BadMark+p.Item.Bad, w), stBad, w)
	}
	if p.Item.Origin {
		c.Text(p.X+p.W-8, p.Bottom()-1, "sender", stEdge, 6)
	}
}

// fitTitle keeps the address whole and shortens the name, since the address is what the
// packet's label refers to.
func (l *layout) fitTitle(it podItem, w int) string {
	if len(it.Title) <= w {
		return it.Title
	}
	addr := it.Title[len(it.NS)+len(it.Show):]
	return nsName(it.NS, it.Show, w-len(addr), l.sc.ell()) + addr
}

// nsName is a name after its namespace ("dev/"), shortened to w cells: the name from the
// middle as shortName does, the namespace cut only when the name cannot keep 8 cells.
func nsName(ns, name string, w int, ell string) string {
	if ns == "" || len([]rune(ns))+len([]rune(name)) <= w {
		return shortName(ns+name, w, ell)
	}
	nw := len([]rune(ns))
	if w-nw < 8 {
		ns = truncEll(strings.TrimSuffix(ns, "/"), max(w-8-1, 0), ell) + "/"
		if w-8-1 <= 0 {
			ns = ""
		}
		nw = len([]rune(ns))
	}
	return ns + shortName(name, w-nw, ell)
}

// trunc shortens canvas text to w cells with a trailing ellipsis.
func (l *layout) trunc(s string, w int) string { return truncEll(s, w, l.sc.ell()) }

func truncEll(s string, w int, ell string) string {
	r := []rune(s)
	if w <= 0 {
		return ""
	}
	if len(r) <= w {
		return s
	}
	e := []rune(ell)
	if w <= len(e) {
		return string(r[:w])
	}
	return string(r[:w-len(e)]) + ell
}

// shortName shortens a name to w cells from the middle, keeping its last dash-separated part
// whole (a generated Pod name's unique suffix: "web-…-dc6c5") and as much of its start as
// fits, cut at a dash where it can; a "pod/container" place keeps the container when it fits,
// else says it is left out ("web-…-dc6c5/…").
func shortName(s string, w int, ell string) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	e := len([]rune(ell))
	if pod, ctr, ok := strings.Cut(s, "/"); ok {
		if len([]rune(pod))+1+2+e <= w { // the Pod whole, the container cut
			return truncEll(s, w, ell)
		}
		if p := shortName(pod, w-1-len([]rune(ctr)), ell); len([]rune(p)) >= 3+e && strings.Contains(p, ell) && !strings.HasPrefix(p, ell) {
			if head, _, _ := strings.Cut(p, ell); len(head) >= 3 {
				return p + "/" + ctr
			}
		}
		if w-1-e > 0 {
			return shortName(pod, w-1-e, ell) + "/" + ell
		}
	}
	i := strings.LastIndex(s, "-")
	tail := s[max(i, 0):]
	if i <= 0 || len(tail)+e+1 > w || len(tail) > 11 || strings.ToLower(tail) != tail {
		// not a generated name's suffix (a chain's hash, a word): cut at the end
		return truncEll(s, w, ell)
	}
	room := w - e - len(tail)
	head := s[:room]
	if j := strings.LastIndex(head, "-"); j > 0 {
		head = head[:j+1]
	}
	return head + ell + tail
}
