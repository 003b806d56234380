package netlab

import (
	"errors"
	"os"
	"os/exec"
	"strings"
)

// tools are the programs the lab runs; .ci/run installs them (Debian: iproute2, iptables,
// conntrack, nfacct).
var tools = []string{"ip", "bridge", "iptables-restore", "iptables-save", "nft", "conntrack", "nfacct"}

// Usable says why the lab cannot run here, or nil: it needs root, the tools, network
// namespaces, and iptables in its nf_tables flavour (as kube-proxy v1.37 uses).
func Usable() error {
	if os.Geteuid() != 0 {
		return errors.New("not root: network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN")
	}
	var missing []string
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return errors.New("missing " + strings.Join(missing, ", ") + " (apt-get install iproute2 iptables nftables conntrack nfacct)")
	}
	if v, err := run("", "iptables", "-V"); err != nil || !strings.Contains(v, "nf_tables") {
		return errors.New("iptables is not iptables-nft: " + strings.TrimSpace(v))
	}
	if _, err := os.Stat("/proc/sys/net/bridge"); err != nil {
		return errors.New("br_netfilter is not loaded (modprobe br_netfilter): Pod-to-Pod traffic through a Service needs it")
	}
	name := RunPrefix() + "probe"
	if _, err := AddNS(name); err != nil {
		return errors.New("cannot create a network namespace: " + err.Error())
	}
	return DelNS(name)
}
