package model

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// realworldDir holds public manifests with their expected Service → workload mappings
// (shared/realworld/SOURCES.md; expected-summary.json is the same in JSON).
const realworldDir = "../testdata/realworld"

type expectedFile struct {
	Services  []expectedService `json:"services"`
	Workloads []string          `json:"workloads"`
}

type expectedService struct {
	Name         string         `json:"name"`
	Namespace    *string        `json:"namespace"`
	Type         string         `json:"type"`
	ClusterIP    *string        `json:"clusterIP"`
	ExternalName *string        `json:"externalName"`
	Selects      []string       `json:"selects"`
	Ports        []expectedPort `json:"ports"`
}

type expectedPort struct {
	Name                *string           `json:"name"`
	Port                int32             `json:"port"`
	EffectiveProtocol   string            `json:"effectiveProtocol"`
	EffectiveTargetPort json.RawMessage   `json:"effectiveTargetPort"`
	Resolved            map[string]string `json:"resolved"`
}

func loadExpected(t *testing.T) map[string]expectedFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(realworldDir, "expected-summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]expectedFile
	if err := json.Unmarshal(data, &exp); err != nil {
		t.Fatal(err)
	}
	return exp
}

func TestRealworldMappings(t *testing.T) {
	exp := loadExpected(t)
	names := make([]string, 0, len(exp))
	for n := range exp {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, file := range names {
		t.Run(file, func(t *testing.T) {
			c, err := Load([]string{filepath.Join(realworldDir, file)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range c.Diagnostics {
				if d.Code == CodeInvalidYAML || d.Code == CodeInvalidObject || d.Code == CodeUnknownField {
					t.Errorf("unexpected %s", d.Code+": "+d.Message)
				}
			}
			checkWorkloads(t, c, exp[file].Workloads)
			if len(c.Services) != len(exp[file].Services) {
				t.Fatalf("%d Services, want %d", len(c.Services), len(exp[file].Services))
			}
			for i, es := range exp[file].Services {
				checkService(t, c.Services[i], es)
			}
		})
	}
}

func checkWorkloads(t *testing.T, c *Cluster, want []string) {
	t.Helper()
	var got []string
	for _, w := range c.Workloads {
		got = append(got, w.Kind+"/"+w.Name)
	}
	for _, p := range c.Pods {
		if p.Owner == nil {
			got = append(got, "Pod/"+p.Name)
		}
	}
	var wantNames []string
	for _, w := range want {
		parts := strings.SplitN(w, "/", 3)
		wantNames = append(wantNames, parts[0]+"/"+parts[2])
	}
	sort.Strings(got)
	sort.Strings(wantNames)
	if strings.Join(got, ",") != strings.Join(wantNames, ",") {
		t.Errorf("workloads %v, want %v", got, wantNames)
	}
}

func checkService(t *testing.T, s *Service, es expectedService) {
	t.Helper()
	ns := "default"
	if es.Namespace != nil {
		ns = *es.Namespace
	}
	if s.Name != es.Name || s.Namespace != ns || string(s.Type()) != es.Type {
		t.Fatalf("Service %s/%s %s, want %s/%s %s", s.Namespace, s.Name, s.Type(), ns, es.Name, es.Type)
	}
	if got, want := selects(s), strings.Join(sorted(es.Selects), ","); got != want {
		t.Errorf("%s selects %q, want %q", s.Name, got, want)
	}
	if len(s.Ports) != len(es.Ports) {
		t.Fatalf("%s: %d ports, want %d", s.Name, len(s.Ports), len(es.Ports))
	}
	for i, ep := range es.Ports {
		checkPort(t, s, s.Ports[i], ep)
	}
}

// selects names what a Service selects as SOURCES.md does: workloads by template labels,
// and bare Pods.
func selects(s *Service) string {
	var out []string
	for _, w := range s.Workloads {
		out = append(out, w.Kind+"/"+w.Name)
	}
	for _, p := range s.Selected {
		if p.Owner == nil {
			out = append(out, "Pod/"+p.Name)
		}
	}
	return strings.Join(sorted(out), ",")
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

var (
	leadingNumber = regexp.MustCompile(`^(\d+)`)
	containerName = regexp.MustCompile("container `([^`]+)`")
)

func checkPort(t *testing.T, s *Service, sp *ServicePort, ep expectedPort) {
	t.Helper()
	if sp.Port != ep.Port || string(sp.Protocol) != ep.EffectiveProtocol {
		t.Errorf("%s port %d/%s, want %d/%s", s.Name, sp.Port, sp.Protocol, ep.Port, ep.EffectiveProtocol)
	}
	if want := strings.Trim(string(ep.EffectiveTargetPort), `"`); sp.TargetPort.String() != want {
		t.Errorf("%s targetPort %s, want %s", s.Name, sp.TargetPort.String(), want)
	}
	for owner, res := range ep.Resolved {
		eps := endpointsOf(sp, owner)
		if strings.HasPrefix(res, "unresolved:") {
			if len(eps) != 0 || len(sp.Unready) == 0 {
				t.Errorf("%s %s: %d endpoints, want none (%s)", s.Name, owner, len(eps), res)
			}
			continue
		}
		m := leadingNumber.FindStringSubmatch(res)
		if m == nil {
			continue // ExternalName and selectorless notes
		}
		if len(eps) == 0 {
			t.Errorf("%s %s: no endpoints, want %s", s.Name, owner, res)
			continue
		}
		want, _ := strconv.Atoi(m[1])
		wantContainer := ""
		if cm := containerName.FindStringSubmatch(res); cm != nil {
			wantContainer = cm[1]
		}
		for _, e := range eps {
			if int(e.Port) != want || e.Container != wantContainer {
				t.Errorf("%s %s: endpoint %d on container %q, want %d on %q (%s)", s.Name, owner, e.Port, e.Container, want, wantContainer, res)
			}
		}
	}
}

// endpointsOf returns the endpoints whose Pods belong to "Kind/name".
func endpointsOf(sp *ServicePort, owner string) []Endpoint {
	var out []Endpoint
	for _, e := range sp.Endpoints {
		if e.Pod == nil {
			continue
		}
		ref := "Pod/" + e.Pod.Name
		if e.Pod.Owner != nil {
			ref = e.Pod.Owner.Kind + "/" + e.Pod.Owner.Name
		}
		if ref == owner {
			out = append(out, e)
		}
	}
	return out
}
