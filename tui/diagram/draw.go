package diagram

import (
	"github.com/charmbracelet/x/ansi"
	"strings"

	"github.com/svcviz/svcviz/tui/canvas"
)

// draw paints the static diagram: boxes, every Edge (faded), the edges this trace uses
// (bright), then text on top. It runs once per size and trace, never per frame.
func (l *Layout) draw(used map[int]bool) *canvas.Canvas {
	c := canvas.New(l.W, l.H)
	for _, nb := range l.Nodes {
		l.drawNode(c, nb)
	}
	for i, e := range l.Edges {
		if !used[i] && !l.crossNode(e) && !l.offWire(e) {
			c.Path(e.Pts, StyleFaded, l.inSolid)
		}
	}
	for i, e := range l.Edges {
		if used[i] {
			c.Path(e.Pts, StyleEdge, l.inSolid)
		}
	}
	l.drawLabels(c)
	return c
}

// crossNode edges are drawn only when a packet takes them: they would cross every node (and
// the wire view's node-to-node ways would double the client's).
func (l *Layout) crossNode(e Edge) bool {
	return e.A.I != e.B.I && (e.A.Kind == PlaceService && e.B.Kind == PlaceCNI || e.A.Kind == PlaceEntry && e.B.Kind == PlaceEntry)
}

// offWire edges are the teaching view's way through the Service's box, which the wire view
// leaves out: no packet on the wire is addressed to the Service.
func (l *Layout) offWire(e Edge) bool {
	return l.wire && (e.A.Kind == PlaceService || e.B.Kind == PlaceService)
}

// svcStyle is the Service box's style: dimmed in the wire view, where no packet goes into it.
func (l *Layout) svcStyle(st canvas.Style) canvas.Style {
	if l.wire {
		return StyleFaded
	}
	return st
}

func (l *Layout) drawNode(c *canvas.Canvas, nb NodeBox) {
	c.Box(nb.Rect, StyleNode)
	c.Box(nb.Net, StyleNode)
	c.Box(nb.Svc, l.svcStyle(StyleService))
	for r, y := range nb.Bus {
		lo, hi := nb.Trunk, nb.Trunk
		if r == 0 {
			lo, hi = nb.Entry.X, nb.Entry.X
		}
		for _, p := range l.Pods {
			if p.Y == y+1 && p.X >= nb.X && p.X < nb.Right() {
				lo, hi = min(lo, p.Drop), max(hi, p.Drop)
				c.VLine(p.Drop, y, p.Y, StyleNode)
			}
		}
		if len(nb.Bus) > 1 {
			hi = max(hi, nb.Trunk)
		}
		c.HLine(lo, hi, y, StyleNode)
	}
	if len(nb.Bus) > 1 {
		c.VLine(nb.Trunk, nb.Bus[0], nb.Bus[len(nb.Bus)-1], StyleNode)
	}
}

func (l *Layout) drawLabels(c *canvas.Canvas) {
	cs := StyleClient
	if !l.Scene.External {
		cs = StyleFaded // the packet does not start there: no way in is drawn from it
	}
	ty := l.Client.Y + 1 // the text row: inside the box, or the line itself when compact
	if l.compact {
		ty = l.Client.Y
	} else {
		c.Box(l.Client, cs)
	}
	c.Text(l.Client.X+2, ty, l.Scene.Client, cs, 0)
	if l.Scene.ClientMark != "" {
		c.Text(l.Client.Right()+1, ty, l.Scene.ClientMark, StyleBad, 0)
	}
	if l.Scene.DNS != "" {
		if !l.compact {
			c.Box(l.DNS, StyleClient)
		}
		c.Text(l.DNS.X+2, ty, l.Scene.DNS, StyleClient, 0)
	}
	for i, nb := range l.Nodes {
		c.Text(nb.X+2, nb.Y, nb.Title, StyleTitle, nb.Entry.X-nb.X-4)
		if nb.IPRow {
			c.Text(nb.X+2, nb.Y+1, nb.IP, StyleAddr, 0)
		}
		if l.Scene.Port != "" {
			c.Text(nb.Entry.X-len(l.Scene.Port)/2, nb.Y, l.Scene.Port, StyleEdge, 0)
		}
		if mk := l.Scene.Mark; mk.Text != "" {
			st := StyleEdge
			if mk.Bad {
				st = StyleBad
			}
			c.Text(max(nb.Svc.Right()-2-len([]rune(mk.Text)), nb.Svc.X+1), nb.Svc.Y, mk.Text, st, nb.Svc.W-2)
		}
		for k, line := range l.svcLines(nb.Svc.W - 4) {
			l.svcText(c, nb.Svc.X+2, nb.Svc.Y+1+k, line, nb.Svc.W-4)
		}
		cidr := " " + l.Scene.Nodes[i].PodCIDR.String() + " "
		c.Text(nb.Net.X+2, nb.Net.Y, cidr, StyleAddr, nb.Net.W-4)
		c.Text(nb.Net.X+2, nb.Bus[0], nb.CNILabel, StyleNode, 0)
		if l.Scene.NoPodMsg != "" {
			c.Text(nb.Net.X+2, nb.Bus[0]+2, l.Scene.NoPodMsg, StyleFaded, nb.Net.W-4)
		}
	}
	for _, p := range l.Pods {
		l.drawPod(c, p)
	}
}

// svcText writes the Service's name bright, the note that it is on every node plain and its
// address in the address colour.
func (l *Layout) svcText(c *canvas.Canvas, x, y int, line string, w int) {
	name := l.Scene.SvcName
	switch {
	case strings.HasPrefix(line, "("):
		c.Text(x, y, l.trunc(line, w), l.svcStyle(StyleNode), w)
	case !strings.HasPrefix(line, name):
		c.Text(x, y, l.trunc(line, w), l.svcStyle(StyleAddr), w)
	default:
		c.Text(x, y, l.trunc(line, w), l.svcStyle(StyleTitle), w)
		rest := line[len(name):]
		for {
			note, after, ok := strings.Cut(rest, ")")
			if !ok || !strings.HasPrefix(rest, " (") {
				break
			}
			c.Text(x+len(name), y, l.trunc(note+")", w-len(name)), l.svcStyle(StyleNode), w-len(name))
			name, rest = name+note+")", after
		}
		if rest != "" {
			c.Text(x+len(name), y, l.trunc(rest, w-len(name)), l.svcStyle(StyleAddr), w-len(name))
		}
	}
}

// runeCells is how many cells s's first rune takes: 2 for a wide script (Hangul), else 1.
func runeCells(s string) int {
	for _, r := range s {
		return max(ansi.StringWidth(string(r)), 1)
	}
	return 1
}

func (l *Layout) drawPod(c *canvas.Canvas, p PodBox) {
	st, text := StylePod, StyleTitle
	if p.Item.Faded {
		st, text = StyleFaded, StyleFaded
	}
	c.Box(p.Rect, st)
	w, y := p.W-2, p.Y+1
	if p.H-badLine(l.Scene) == 5 {
		c.Text(p.X+1, y, NSName(p.Item.NS, p.Item.Show, w, l.Scene.ell()), text, w)
		y++
		c.Text(p.X+1, y, l.trunc(strings.TrimSpace(p.Item.Title[len(p.Item.NS)+len(p.Item.Show):]), w), StyleAddr, w)
	} else {
		c.Text(p.X+1, y, l.fitTitle(p.Item, w), text, w)
	}
	sub := p.Item.Sub
	for _, s := range p.Item.SubAlts {
		if sub = s; len(s) <= w {
			break
		}
	}
	c.Text(p.X+1, y+1, l.trunc(sub, w), st, w)
	if p.Item.Bad != "" {
		c.Text(p.X+1, y+2, l.trunc(l.Scene.BadMark+p.Item.Bad, w), StyleBad, w)
	}
	if p.Item.Origin {
		s := l.Scene.words("sender")
		c.Text(p.X+p.W-2-ansi.StringWidth(s), p.Bottom()-1, s, StyleEdge, 6)
	}
}

// fitTitle keeps the address whole and shortens the name, since the address is what the
// packet's label refers to.
func (l *Layout) fitTitle(it PodItem, w int) string {
	if len(it.Title) <= w {
		return it.Title
	}
	addr := it.Title[len(it.NS)+len(it.Show):]
	return NSName(it.NS, it.Show, w-len(addr), l.Scene.ell()) + addr
}

// NSName is a name after its namespace ("dev/"), shortened to w cells: the name from the
// middle as ShortName does, the namespace cut only when the name cannot keep 8 cells.
func NSName(ns, name string, w int, ell string) string {
	if ns == "" || len([]rune(ns))+len([]rune(name)) <= w {
		return ShortName(ns+name, w, ell)
	}
	nw := len([]rune(ns))
	if w-nw < 8 {
		ns = Truncate(strings.TrimSuffix(ns, "/"), max(w-8-1, 0), ell) + "/"
		if w-8-1 <= 0 {
			ns = ""
		}
		nw = len([]rune(ns))
	}
	return ns + ShortName(name, w-nw, ell)
}

// trunc shortens canvas text to w cells with a trailing ellipsis.
func (l *Layout) trunc(s string, w int) string { return Truncate(s, w, l.Scene.ell()) }

func Truncate(s string, w int, ell string) string {
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

// ShortName shortens a name to w cells from the middle, keeping its last dash-separated part
// whole (a generated Pod name's unique suffix: "web-…-dc6c5") and as much of its start as
// fits, cut at a dash where it can; a "pod/container" Place keeps the container when it fits,
// else says it is left out ("web-…-dc6c5/…").
func ShortName(s string, w int, ell string) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	e := len([]rune(ell))
	if short, ok := nftChainShort(s, w, ell); ok {
		return short
	}
	if pod, ctr, ok := strings.Cut(s, "/"); ok {
		if len([]rune(pod))+1+2+e <= w { // the Pod whole, the container cut
			return Truncate(s, w, ell)
		}
		if p := ShortName(pod, w-1-len([]rune(ctr)), ell); len([]rune(p)) >= 3+e && strings.Contains(p, ell) && !strings.HasPrefix(p, ell) {
			if head, _, _ := strings.Cut(p, ell); len(head) >= 3 {
				return p + "/" + ctr
			}
		}
		if w-1-e > 0 {
			return ShortName(pod, w-1-e, ell) + "/" + ell
		}
	}
	i := strings.LastIndex(s, "-")
	tail := s[max(i, 0):]
	if i <= 0 || len(tail)+e+1 > w || len(tail) > 11 || strings.ToLower(tail) != tail {
		// not a generated name's suffix (a chain's hash, a word): cut at the end
		return Truncate(s, w, ell)
	}
	room := w - e - len(tail)
	head := s[:room]
	if j := strings.LastIndex(head, "-"); j > 0 {
		head = head[:j+1]
	}
	return head + ell + tail
}

// nftChainShort shortens a kube-proxy nftables chain name (KIND-HASH-NS/NAME/PROTO/PORT, and
// for an endpoint __IP/PORT after it; pkg/proxy/nftables servicePortChainNameBase) to w
// cells keeping what tells chains apart: the kind and the hash, then the port name or the
// endpoint address when they fit ("service-VTKG5A3G…/tcp/http", "endpoint-5OJB2KTY…/80",
// "ext…-VTKG5A3G"). Not such a name: false.
func nftChainShort(s string, w int, ell string) (string, bool) {
	kind, rest, ok := strings.Cut(s, "-")
	if !ok || !strings.Contains(rest, "/") || len(rest) < 10 || rest[8] != '-' || !isChainHash(rest[:8]) {
		return "", false
	}
	switch kind {
	case "service", "local", "external", "firewall", "endpoint", "affinity":
	default:
		return "", false
	}
	hash, path := rest[:8], rest[9:]
	tail := path
	if i := strings.Index(path, "/"); i >= 0 {
		tail = path[i:] // /NAME/PROTO/PORT[__IP/PORT]
	}
	if j := strings.LastIndex(tail, "__"); j >= 0 {
		tail = "/" + tail[j+2:] // an endpoint: its address and port
	} else if parts := strings.Split(tail, "/"); len(parts) >= 2 {
		tail = "/" + strings.Join(parts[len(parts)-2:], "/") // PROTO/PORT
	}
	for _, c := range []string{
		kind + "-" + hash + ell + tail,
		kind + "-" + hash + ell,
		Truncate(kind, 3+len([]rune(ell)), ell) + "-" + hash,
		hash,
	} {
		if len([]rune(c)) <= w {
			return c, true
		}
	}
	return Truncate(hash, w, ell), true
}

// isChainHash reports the 8 characters kube-proxy's nftables chain names carry: base32 of a
// SHA-256, upper case letters and digits 2-7.
func isChainHash(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}
