package model

// NearestPod is the Pod whose labels come closest to a Service selector that matches no Pod,
// and how they differ: the cause `svcviz check` words as no-matching-pods, as facts a picture
// can show (the TUI draws the Pod greyed out with the differing label marked).
type NearestPod struct {
	Pod   *Pod
	Diffs []LabelDiff // in the selector's key order; never empty
}

// LabelDiff is one selector pair Key=Want that the nearest Pod's labels do not have. Has is
// the Pod's value for Key, or, when the Pod has a near key instead (a typo in the key), HasKey
// is that key and Has its value; Missing when the Pod has neither.
type LabelDiff struct {
	Key, Want   string
	HasKey, Has string
	Missing     bool
}

// nearestPod is the nearest Pod to sel in namespace ns and how its labels differ, as
// nearestHint words it; nil when no Pod comes near.
func (ix *podIndex) nearestPod(ns string, sel map[string]string) *NearestPod {
	p, _, _ := ix.nearest(ns, sel)
	if p == nil {
		return nil
	}
	n := &NearestPod{Pod: p}
	for _, k := range sortedKeys(sel) {
		v := sel[k]
		got, has := p.Obj.Labels[k]
		switch {
		case has && got == v:
			continue
		case has:
			n.Diffs = append(n.Diffs, LabelDiff{Key: k, Want: v, HasKey: k, Has: got})
		default:
			d := LabelDiff{Key: k, Want: v, Missing: true}
			if other, ok := nearKey(p.Obj.Labels, k, v); ok {
				d.HasKey, d.Has, d.Missing = other, v, false
			}
			n.Diffs = append(n.Diffs, d)
		}
	}
	if len(n.Diffs) == 0 {
		return nil
	}
	return n
}
