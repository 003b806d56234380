package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesNftablesMatchKubeProxy: `rules --proxy-mode nftables` prints exactly the table
// kube-proxy v1.37's nftables mode writes, as `nft list table ip kube-proxy` prints it.
func TestRulesNftablesMatchKubeProxy(t *testing.T) {
	for _, name := range []string{"nodeport", "named-port-replicas"} {
		want, err := os.ReadFile(filepath.Join(kubeRefDir, name+".nft"))
		if err != nil {
			t.Fatal(err)
		}
		code, out, stderr := svcviz(t, "", "rules", "--proxy-mode", "nftables", filepath.Join(kubeRefDir, name+".yaml"))
		if code != 0 || out != string(want) {
			t.Errorf("%s: exit %d %s\n--- got\n%s\n--- want\n%s", name, code, stderr, out, want)
		}
	}
}

func TestRulesNftablesOneService(t *testing.T) {
	code, out, _ := svcviz(t, "", "rules", "--proxy-mode", "nftables", filepath.Join(kubeRefDir, "named-port-replicas.yaml"), "--service", "orphan")
	if code != 0 || strings.Contains(out, "default/web") || !strings.Contains(out, `tcp . 30080 comment "default/orphan:http" : goto reject-chain`) ||
		!strings.Contains(out, "chain services {") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestProxyModeFlag(t *testing.T) {
	code, _, stderr := svcviz(t, "", "rules", "--proxy-mode", "ipvs", sample("nodeport.yaml"))
	if code != 2 || !strings.Contains(stderr, `unknown proxy mode "ipvs": use iptables or nftables`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = svcviz(t, "", "trace", "--dst", "10.96.0.999:80", sample("nodeport.yaml"))
	if code != 2 || !strings.Contains(stderr, "--dst") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestTraceNftablesJSON: the trace says its mode, and hops name the set element that matched.
func TestTraceNftablesJSON(t *testing.T) {
	code, out, stderr := svcviz(t, "", "trace", "--proxy-mode", "nftables", "-o", "json", filepath.Join(kubeRefDir, "nodeport.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Mode string `json:"proxyMode"`
		Hops []struct {
			Chain, Rule, Set, Element, Narration string
		} `json:"hops"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range r.Hops {
		if h.Set == "service-nodeports" && h.Element == "tcp . 30008 : goto external-VTKG5A3G-default/myapp-service/tcp/" && h.Chain == "services" {
			found = true
		}
	}
	if r.Mode != "nftables" || !found {
		t.Errorf("mode %q, hops %+v", r.Mode, r.Hops)
	}
	code, out, _ = svcviz(t, "", "trace", "--proxy-mode", "nftables", "--lang", "ko", "--from", "node01", "--dst", "127.0.0.1:30008", filepath.Join(kubeRefDir, "nodeport.yaml"))
	if code != 1 || !strings.Contains(out, "(kube-proxy nftables 모드)") || !strings.Contains(out, "iptables 모드는 localhost NodePort") ||
		!strings.Contains(out, "결과: 연결 거부, 홉 3에서 멈춤") { // --lang ko: the verdict line in Korean
		t.Errorf("exit %d:\n%s", code, out)
	}
}
