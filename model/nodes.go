package model

import (
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Node is a Node object of the input (`kubectl get nodes -o yaml`): where a node is and which
// pod subnet it hands out.
type Node struct {
	Meta
	Obj *corev1.Node
	// InternalIP is the node's status.addresses entry of type InternalIP (IPv4), "" if none.
	InternalIP string
	// PodCIDR is the node's IPv4 pod subnet (spec.podCIDRs, else spec.podCIDR), "" if none.
	PodCIDR string
}

func nodeFrom(meta *Meta, o *corev1.Node) *Node {
	n := &Node{Meta: *meta, Obj: o}
	for _, a := range o.Status.Addresses {
		if a.Type == corev1.NodeInternalIP && n.InternalIP == "" {
			if ip, err := netip.ParseAddr(a.Address); err == nil && ip.Is4() {
				n.InternalIP = a.Address
			}
		}
	}
	cidrs := o.Spec.PodCIDRs
	if len(cidrs) == 0 && o.Spec.PodCIDR != "" {
		cidrs = []string{o.Spec.PodCIDR}
	}
	for _, c := range cidrs {
		if p, err := netip.ParsePrefix(c); err == nil && p.Addr().Is4() {
			n.PodCIDR = c
			break
		}
	}
	return n
}

// NodeObject finds a Node object by name, or nil.
func (c *Cluster) NodeObject(name string) *Node {
	for _, n := range c.NodeObjects {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// placeNodes decides the cluster's nodes before workloads are expanded (a DaemonSet runs one
// Pod on each): when the input says where Pods run (Node objects, a Pod's spec.nodeName), the
// cluster has exactly those nodes, as the dump's cluster had; otherwise the configured ones.
// With --nodes given as well, the configured nodes come first and the input's join them.
func (l *loader) placeNodes() {
	c := l.c
	var named []string
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			named = append(named, name)
		}
	}
	for _, n := range c.NodeObjects {
		c.Diagnostics = append(c.Diagnostics, validateName(&n.Meta, validation.IsDNS1123Subdomain)...)
		add(n.Name)
	}
	for _, p := range c.Pods {
		if p.Owner == nil {
			add(p.Obj.Spec.NodeName)
		}
	}
	c.Schedule = l.opts.Nodes
	c.NodesFromInput = len(named) > 0
	switch {
	case len(named) == 0:
		c.Nodes = l.opts.Nodes
	case l.opts.NodesGiven:
		all := append([]string{}, l.opts.Nodes...)
		for _, n := range named {
			if !contains(l.opts.Nodes, n) {
				all = append(all, n)
			}
		}
		c.Nodes = all
	default:
		c.Nodes, c.Schedule = named, named
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
