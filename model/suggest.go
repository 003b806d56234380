package model

import (
	"encoding/json"
	"strings"
)

type kjsonTypeError = json.UnmarshalTypeError

// EditDistance is the Levenshtein distance between two strings, counted in bytes (netsim uses it
// to suggest the nearest Service name too).
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// closest is the candidate nearest to v by edit distance (case ignored), when it is within a
// third of v's length (at least 2), else "".
func closest(v string, candidates []string) string {
	best, bestD := "", max(2, len(v)/3)+1
	for _, c := range candidates {
		if d := EditDistance(strings.ToLower(v), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// nearPortName is the container port name of the Service port's protocol, among the Pods', that
// the named targetPort most likely misspells ("htp" for "http"), or "".
func nearPortName(pods []*Pod, sp *ServicePort) string {
	var names []string
	for _, p := range pods {
		for _, pc := range portContainers(&p.Obj.Spec) {
			for _, cp := range pc.c.Ports {
				if cp.Name != "" && cp.Protocol == sp.Protocol && !contains(names, cp.Name) {
					names = append(names, cp.Name)
				}
			}
		}
	}
	return closest(sp.TargetPort.StrVal, names)
}
