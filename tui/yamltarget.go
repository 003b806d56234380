package tui

import (
	"path/filepath"
	"strconv"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/diagram"
)

// yamlTarget is the source line the YAML pane centres on.
type yamlTarget struct {
	File, Field string
	Line        int
	Note        string            // said in the heading: why this line, or why none
	Diag        *model.Diagnostic // shown under the line, as an editor shows a finding
	Mark        bool              // the line decides the hop: highlight it
	// Ghost is a field the file leaves out, shown dimmed under Line (its nearest written
	// ancestor) at its indentation with the value that decides: "nodePort: 30000   # allocated".
	// It is highlighted in place of the ancestor.
	Ghost string
	// Also is a dim line under the target that points at a second line deciding with it: the
	// container port a named targetPort resolves to.
	Also string
	// Cause is the line of the same file whose diagnostic explains why the packet fails (a
	// selector line that differs from the nearest Pod's labels), marked and kept in view on
	// every hop of a failed trace; 0 when there is none.
	Cause int
}

// yamlPin holds the YAML pane on a chosen line (a diagnostic, a clicked Service) until the
// packet moves on.
type yamlPin struct {
	tr  *netsim.Trace
	cur int
	t   yamlTarget
}

// hopTarget is the field that decides hop h (the no-th of the view), else the Service's
// definition.
func (u *ui) hopTarget(tr *netsim.Trace, h *netsim.Hop, no int) yamlTarget {
	if h.Pos.Line > 0 {
		t := yamlTarget{File: h.Pos.File, Line: h.Pos.Line, Field: h.Field, Diag: h.Diagnostic, Mark: true}
		t.Cause = causeLine(tr, t.File)
		t.Also = u.namedPortNote(tr, h)
		if h.Defaulted {
			t.Note = u.tr("(not written: the default decides; its parent is here)")
			if g := u.ghost(h); g != "" {
				t.Ghost, t.Note = g, u.tr("(default)")
				if h.Allocated {
					t.Note = u.tr("(allocated)")
				}
			}
		}
		return t
	}
	svc := tr.Service.Svc
	return yamlTarget{File: svc.File, Line: svc.Line, Diag: h.Diagnostic, Cause: causeLine(tr, svc.File),
		Note: u.tr("(no field decides hop {0})", strconv.Itoa(no))}
}

// causeLine is the line in file of the diagnostic that explains why trace tr fails, 0 when
// the packet is delivered or the cause is elsewhere.
func causeLine(tr *netsim.Trace, file string) int {
	if !diagram.Failed(tr.Verdict) {
		return 0
	}
	for _, h := range tr.Hops {
		if d := h.Diagnostic; d != nil && d.Line > 0 && d.File == file {
			return d.Line
		}
	}
	return 0
}

// diagTarget points the YAML pane at a diagnostic.
func diagTarget(d *model.Diagnostic) yamlTarget {
	return yamlTarget{File: d.File, Line: d.Line, Field: d.Field, Diag: d, Mark: d.Line > 0}
}

// namedPortNote points from a named targetPort to the container port it resolved to:
// "→ line 34: name: http = containerPort 8080"; "" for other hops.
func (u *ui) namedPortNote(tr *netsim.Trace, h *netsim.Hop) string {
	ep, sp := tr.Endpoint, tr.Port
	if ep == nil || sp == nil || !ep.Named || ep.Pod == nil || ep.PortField == "" || h.Action != netsim.ActDNAT {
		return ""
	}
	pos := ep.Pod.FieldPos(ep.PortField + ".name")
	if pos.Line <= 0 {
		return ""
	}
	where := u.tr("line {0}", strconv.Itoa(pos.Line))
	if filepath.Base(pos.File) != filepath.Base(h.Pos.File) {
		where = model.Escape(filepath.Base(pos.File)) + ":" + strconv.Itoa(pos.Line)
	}
	return "→ " + where + ": name: " + model.Escape(sp.TargetPort.StrVal) + " = containerPort " + strconv.Itoa(int(ep.Port))
}

// ghost is the line a defaulted field would have, with the value that decided the hop (netsim
// says it); "" when svcviz does not know the value.
func (u *ui) ghost(h *netsim.Hop) string {
	if h.Value == "" {
		return ""
	}
	comment := u.tr("# default, not in the file")
	if h.Allocated {
		comment = u.tr("# allocated")
	}
	return model.Escape(h.FieldKey() + ": " + h.Value + "   " + comment)
}
