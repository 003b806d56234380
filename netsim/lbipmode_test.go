package netsim

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// An ingress address of ipMode Proxy is the load balancer's own: kube-proxy's
// newBaseServiceInfo (pkg/proxy/serviceport.go) skips it (proxyutil.IsVIPMode), so neither
// mode writes a rule for it, and a trace through it has nowhere on the node to go.
const ipModeYAML = `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {nodeName: node01, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
status: {podIP: 10.244.0.2}
---
apiVersion: v1
kind: Service
metadata: {name: mixed}
spec:
  type: LoadBalancer
  selector: {app: a}
  loadBalancerSourceRanges: [203.0.113.0/24]
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress: [{ip: 198.51.100.9, ipMode: Proxy}, {ip: 203.0.113.8, ipMode: VIP}]
---
apiVersion: v1
kind: Service
metadata: {name: proxied}
spec:
  type: LoadBalancer
  selector: {app: a}
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress: [{ip: 198.51.100.10, ipMode: Proxy}]
`

func TestLoadBalancerIPModeProxy(t *testing.T) {
	c := model.LoadSources([]*model.Source{{Name: "x.yaml", Data: []byte(ipModeYAML)}}, model.Options{Nodes: NodeNames(1)})
	s := New(c, DefaultConfig())
	rs, err := s.Rules("node01")
	if err != nil {
		t.Fatal(err)
	}
	nft, err := s.Nftables("node01")
	if err != nil {
		t.Fatal(err)
	}
	for mode, text := range map[string]string{"iptables": rs.Save(), "nftables": nft.List()} {
		if strings.Contains(text, "198.51.100.") {
			t.Errorf("%s: a rule for an ipMode Proxy address:\n%s", mode, text)
		}
		if !strings.Contains(text, "203.0.113.8") {
			t.Errorf("%s: no rule for the VIP-mode address 203.0.113.8", mode)
		}
		if strings.Contains(text, "192.168.1.24") {
			t.Errorf("%s: a pool address for a Service whose status already lists its load balancer", mode)
		}
	}
	if _, err := s.Trace(Request{Service: "proxied", Via: ViaLB, Mode: ModeNFTables}); err == nil ||
		!strings.Contains(err.Error(), "198.51.100.10 has ipMode: Proxy") || !strings.Contains(err.Error(), "--via nodeport") {
		t.Errorf("trace --via lb through an ipMode Proxy address: %v", err)
	}
	if tr, err := s.Trace(Request{Service: "mixed", Via: ViaLB}); err != nil || tr.Verdict != Delivered {
		t.Errorf("trace --via lb through the VIP-mode address: %v", err)
	}
}
