package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// serviceList lists the cluster's Services, the traced one marked, each with the mark its
// diagnostics earn. With the focus, ↑/↓ move its selection and enter asks to trace it.
type serviceList struct {
	*ui
	keys     KeyMap
	services []*netsim.ServiceInfo
	marks    map[*netsim.ServiceInfo]svcMark
	current  *netsim.ServiceInfo // the traced Service
	sel      int
	focused  bool
	w, h     int // h counts the heading
}

// svcMark is the mark a Service's diagnostics earn: "✗" for an error, "!" for a warning.
type svcMark struct {
	text string
	bad  bool
}

func newServiceList(u *ui, keys KeyMap) *serviceList { return &serviceList{ui: u, keys: keys} }

// SetCluster lists sim's Services with the marks of its diagnostics.
func (s *serviceList) SetCluster(sim *netsim.Sim) {
	s.services, s.marks = sim.Services, map[*netsim.ServiceInfo]svcMark{}
	for _, si := range sim.Services {
		if mk := serviceMark(sim.Diagnostics, si.Svc.Ref()); mk.text != "" {
			s.marks[si] = mk
		}
	}
	s.Select(s.sel)
}

// serviceMark is the mark of the worst diagnostic about object ref.
func serviceMark(ds []model.Diagnostic, ref string) svcMark {
	var mk svcMark
	for _, d := range ds {
		if d.Object != ref {
			continue
		}
		switch d.Severity {
		case model.Error:
			return svcMark{text: "✗", bad: true}
		case model.Warning:
			mk.text = "!"
		}
	}
	return mk
}

// SetCurrent marks the traced Service and selects it.
func (s *serviceList) SetCurrent(si *netsim.ServiceInfo) {
	s.current = si
	for i, o := range s.services {
		if o == si {
			s.sel = i
		}
	}
}

func (s *serviceList) Select(i int)     { s.sel = min(max(i, 0), max(len(s.services)-1, 0)) }
func (s *serviceList) Selected() int    { return s.sel }
func (s *serviceList) SetFocus(f bool)  { s.focused = f }
func (s *serviceList) SetSize(w, h int) { s.w, s.h = w, h }

// KeyMap is what the list answers with the focus.
func (s *serviceList) KeyMap() []key.Binding {
	return []key.Binding{s.keys.Up, s.keys.Down, s.keys.Select}
}

// Update moves the selection; enter reports the Service to trace (an index of the list).
func (s *serviceList) Update(msg tea.Msg) (trace int, ok, handled bool) {
	k, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return 0, false, false
	}
	switch {
	case key.Matches(k, s.keys.Up):
		s.Select(s.sel - 1)
	case key.Matches(k, s.keys.Down):
		s.Select(s.sel + 1)
	case key.Matches(k, s.keys.Select):
		return s.sel, true, true
	default:
		return 0, false, false
	}
	return 0, false, true
}

// Click is a click on row y of the list (0 is the heading): the Service there, if any.
func (s *serviceList) Click(y int) (int, bool) {
	i := s.first() + y - 1
	if y < 1 || y > s.items() || i >= len(s.services) {
		return 0, false
	}
	s.sel = i
	return i, true
}

func (s *serviceList) items() int { return min(max(s.h-1, 0), len(s.services)) }

func (s *serviceList) first() int { return window(s.sel, s.items(), len(s.services)) }

// View is the heading and the list's rows: h rows of w cells.
func (s *serviceList) View() string {
	title := s.tr("Services (s)")
	if n := len(s.services); n > s.items() {
		// a long list scrolls: say where the selection is and how many there are
		title += fmt.Sprintf("  %d/%d", s.sel+1, n)
	}
	out := []string{s.heading(title, s.focused, s.w)}
	for i := s.first(); i < s.first()+s.items(); i++ {
		out = append(out, s.row(i))
	}
	return strings.Join(fitRows(out, s.w, s.h), "\n")
}

func (s *serviceList) row(i int) string {
	si := s.services[i]
	name := si.Svc.Name
	if si.Svc.Namespace != "default" {
		name = si.Svc.Namespace + "/" + name
	}
	name = model.Escape(name)
	mark := "  "
	if si == s.current {
		mark = s.txt("▸ ")
	}
	row := pad(mark+name, s.w)
	if mk := s.marks[si]; mk.text != "" {
		// the mark keeps its colour even on the selected row: a broken Service must stand out
		st := s.theme.Warn
		if mk.bad {
			st = s.theme.Bad
		}
		row = pad(mark+name, s.w-2) + st.Render(" "+s.txt(mk.text))
	}
	switch {
	case s.focused && i == s.sel:
		return s.theme.Selected.Render(row)
	case si == s.current:
		return s.theme.Header.Render(row)
	}
	return row
}
