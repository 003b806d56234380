package netlab

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/svcviz/svcviz/netsim"
)

// Lab is one simulated cluster built as real network namespaces: a LAN namespace holding the
// node network's bridge, one namespace per node, one per Pod, and the external client.
type Lab struct {
	Sim     *netsim.Sim
	Backend Backend
	prefix  string
	lan     NS
	Client  NS
	Nodes   map[string]NS          // by node name
	Pods    map[*netsim.PodInfo]NS // Pods with their own namespace (not hostNetwork)
	PodNS   map[netip.Addr]*netsim.PodInfo
	names   []string // every namespace, for Close
	servers []*server
	ct      map[string]*ctEvents // by node name
}

// vxlanPort is flannel's VXLAN port.
const vxlanPort = "8472"

// New builds the cluster of sim under the namespace prefix (e.g. "svl-123-c7-"), loads each
// node's rules with the backend, and starts the Pods' listeners. On error everything built so
// far is removed.
func New(sim *netsim.Sim, backend Backend, prefix string) (lab *Lab, err error) {
	lab = &Lab{Sim: sim, Backend: backend, prefix: prefix, Nodes: map[string]NS{}, Pods: map[*netsim.PodInfo]NS{}, ct: map[string]*ctEvents{}, PodNS: map[netip.Addr]*netsim.PodInfo{}}
	defer func() {
		if err != nil {
			lab.Close()
			lab = nil
		}
	}()
	if lab.lan, err = lab.add("lan"); err != nil {
		return lab, err
	}
	if err = lab.lan.Batch([]string{"link add br0 type bridge", "link set br0 up"}); err != nil {
		return lab, err
	}
	for i, n := range sim.Nodes {
		if err = lab.addNode(i, n); err != nil {
			return lab, err
		}
	}
	if err = lab.overlay(); err != nil {
		return lab, err
	}
	if err = lab.addClient(); err != nil {
		return lab, err
	}
	for i, pi := range sim.Pods {
		if err = lab.addPod(i, pi); err != nil {
			return lab, err
		}
	}
	if err = lab.listen(); err != nil {
		return lab, err
	}
	return lab, lab.waitCarrier()
}

// waitCarrier waits until every interface of the lab has its carrier: a veth sends nothing
// until both ends are up, and an ARP request lost then is retried only a second later, longer
// than a probe waits.
func (l *Lab) waitCarrier() error {
	deadline := time.Now().Add(5 * time.Second)
	for _, name := range l.names {
		for {
			out, err := run("", "ip", "-n", name, "-o", "link", "show", "up")
			if err != nil {
				return err
			}
			down := ""
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line != "" && !strings.Contains(line, "LOWER_UP") {
					down = line
				}
			}
			if down == "" {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: an interface has no carrier: %s", name, down)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return nil
}

func (l *Lab) add(role string) (NS, error) {
	ns, err := AddNS(l.prefix + role)
	if err == nil || ns.Name != "" {
		l.names = append(l.names, l.prefix+role)
	}
	return ns, err
}

// Close stops the listeners and removes every namespace of the lab.
func (l *Lab) Close() {
	for _, s := range l.servers {
		s.close()
	}
	l.servers = nil
	for _, ev := range l.ct {
		ev.stop()
	}
	l.ct = nil
	for _, n := range l.names {
		_ = DelNS(n)
	}
	l.names = nil
}

// lanPort plugs a new veth into the LAN bridge; its other end is eth0 in ns.
func (l *Lab) lanPort(port string, ns NS) error {
	return l.lan.Batch([]string{
		"link add " + port + " type veth peer name eth0 netns " + ns.Name,
		"link set " + port + " master br0 up",
	})
}

// addNode is a node as kubeadm and flannel leave it: eth0 on the LAN, the cni0 bridge with the
// node's .1, and the sysctls kube-proxy and the kubelet need (per namespace on this kernel).
func (l *Lab) addNode(i int, n *netsim.Node) error {
	ns, err := l.add("n" + strconv.Itoa(i))
	if err != nil {
		return err
	}
	l.Nodes[n.Name] = ns
	if err := l.lanPort("n"+strconv.Itoa(i), ns); err != nil {
		return err
	}
	lan := l.Sim.Config.NodeNet
	if err := ns.Batch([]string{
		"addr add " + netip.PrefixFrom(n.IP, lan.Bits()).String() + " dev eth0",
		"link set eth0 up",
		"route add default dev eth0",
		"link add cni0 type bridge",
		"addr add " + netip.PrefixFrom(n.Bridge, n.PodCIDR.Bits()).String() + " dev cni0",
		"link set cni0 up",
	}); err != nil {
		return err
	}
	if err := ns.Sysctl(map[string]string{
		"net.ipv4.ip_forward":                "1",
		"net.ipv4.conf.all.route_localnet":   "1", // kube-proxy: nodePorts on 127.0.0.1
		"net.bridge.bridge-nf-call-iptables": "1", // kubelet: Pod-to-Pod through a Service on one bridge
		"net.ipv4.icmp_ratelimit":            "0", // every REJECT answers, however fast the lab sends
	}); err != nil {
		return err
	}
	rules, err := l.Backend.Rules(l.Sim, n.Name)
	if err != nil {
		return err
	}
	if err := l.Backend.Load(ns, rules); err != nil {
		return err
	}
	l.ct[n.Name], err = followConntrack(ns)
	return err
}

// overlay is flannel's VXLAN backend: flannel.1 holds the node subnet's .0, and each other
// node's subnet is routed through it to that node's eth0, so traffic to a Pod elsewhere leaves
// with the .0 address as its source when masqueraded (as svcviz says).
func (l *Lab) overlay() error {
	if len(l.Sim.Nodes) < 2 {
		return nil
	}
	mac := func(i int) string { return fmt.Sprintf("02:5e:00:00:00:%02x", i+1) }
	for i, n := range l.Sim.Nodes {
		ns := l.Nodes[n.Name]
		cmds := []string{
			"link add flannel.1 address " + mac(i) + " type vxlan id 1 local " + n.IP.String() + " dev eth0 dstport " + vxlanPort + " nolearning",
			"addr add " + n.PodCIDR.Addr().String() + "/32 dev flannel.1",
			"link set flannel.1 up",
		}
		var fdb []string
		for j, o := range l.Sim.Nodes {
			if j == i {
				continue
			}
			gw := o.PodCIDR.Addr().String()
			cmds = append(cmds,
				"neigh add "+gw+" lladdr "+mac(j)+" dev flannel.1 nud permanent",
				"route add "+o.PodCIDR.String()+" via "+gw+" dev flannel.1 onlink")
			fdb = append(fdb, "fdb append "+mac(j)+" dev flannel.1 dst "+o.IP.String())
		}
		if err := ns.Batch(cmds); err != nil {
			return err
		}
		if _, err := run(joinLines(fdb), "bridge", "-n", ns.Name, "-batch", "-"); err != nil {
			return err
		}
	}
	return nil
}

func joinLines(lines []string) string {
	s := ""
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}

// addClient is the external client on the node network.
func (l *Lab) addClient() error {
	ns, err := l.add("client")
	if err != nil {
		return err
	}
	l.Client = ns
	if err := l.lanPort("client", ns); err != nil {
		return err
	}
	cfg := l.Sim.Config
	return ns.Batch([]string{
		"addr add " + netip.PrefixFrom(cfg.ClientIP, cfg.NodeNet.Bits()).String() + " dev eth0",
		"link set eth0 up",
		"route add default dev eth0",
	})
}

// addPod is a Pod as a CNI bridge plugin leaves it: a veth into cni0 with hairpin on (so a
// Pod can reach itself through its Service), its IP, and a default route via cni0's address.
func (l *Lab) addPod(i int, pi *netsim.PodInfo) error {
	if !pi.IP.IsValid() || pi.Node == nil || l.PodNS[pi.IP] != nil {
		return nil
	}
	l.PodNS[pi.IP] = pi
	if pi.Pod.Obj.Spec.HostNetwork {
		return nil
	}
	ns, err := l.add("p" + strconv.Itoa(i))
	if err != nil {
		return err
	}
	l.Pods[pi] = ns
	node := l.Nodes[pi.Node.Name]
	port := "v" + strconv.Itoa(i)
	if err := node.Batch([]string{
		"link add " + port + " type veth peer name eth0 netns " + ns.Name,
		"link set " + port + " master cni0 up",
		"link set " + port + " type bridge_slave hairpin on",
	}); err != nil {
		return err
	}
	gw := pi.Node.Bridge.String()
	cmds := []string{"link set eth0 up"}
	if pi.Node.PodCIDR.Contains(pi.IP) {
		cmds = append(cmds, "addr add "+netip.PrefixFrom(pi.IP, pi.Node.PodCIDR.Bits()).String()+" dev eth0")
	} else {
		// An address beyond the node's /24 (a full subnet, or one written in the YAML).
		cmds = append(cmds, "addr add "+pi.IP.String()+"/32 dev eth0", "route add "+gw+" dev eth0")
		if err := node.IP("route", "add", pi.IP.String()+"/32", "dev", "cni0"); err != nil {
			return err
		}
	}
	cmds = append(cmds, "route add default via "+gw+" dev eth0 onlink")
	if err := ns.Batch(cmds); err != nil {
		return err
	}
	return ns.Sysctl(map[string]string{"net.ipv4.icmp_ratelimit": "0"})
}
