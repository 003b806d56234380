package dumpgen

import (
	"fmt"
	"strings"
)

// The cluster's addresses. Each node's pod subnet is the next /24 of the pod network from
// 10.244.0.0, as kube-controller-manager's range allocator hands them out; svcviz's default
// --pod-cidr 10.244.0.0/16 holds 256 of them, so a bigger cluster has a wider pod network
// (PodCIDR; svcviz must be told it with --pod-cidr, SvcvizFlags).
//
// The nodes stand in racks of a /22 each, 10.0.0.0/22, 10.0.4.0/22, …, a rack's nodes at .11
// to .239 of its first /24. svcviz puts its external client at .10 of the first node's /24 and
// hands out LoadBalancer IPs from .240 of it upwards (netsim's Config.ClientIP and LBPool): the
// first rack's other three /24s hold the ~700 LoadBalancer IPs the largest dump needs (its
// nodePorts run out first), so no LoadBalancer IP is a node's address.
const (
	nodesPerRack = 239 - 11 + 1
	// MaxNodes is the most nodes a dump has: 10.244.0.0/14's /24s.
	MaxNodes = 1024
)

// Nodes is the number of nodes of the dump o describes: enough for its Pods at PodsPerNode.
func Nodes(o Options) int {
	o = o.withDefaults()
	pods := o.Services * o.Replicas
	return max(1, (pods+o.PodsPerNode-1)/o.PodsPerNode)
}

// PodCIDR is the cluster's pod network: 10.244.0.0/16, or the /15 or /14 from there that holds a
// /24 per node.
func PodCIDR(o Options) string {
	n := Nodes(o)
	switch {
	case n <= 256:
		return "10.244.0.0/16"
	case n <= 512:
		return "10.244.0.0/15"
	}
	return "10.244.0.0/14"
}

// SvcvizFlags are the flags that tell svcviz the cluster the dump comes from: none, or the
// --pod-cidr of a cluster of more than 256 nodes.
func SvcvizFlags(o Options) []string {
	if c := PodCIDR(o); c != "10.244.0.0/16" {
		return []string{"--pod-cidr", c}
	}
	return nil
}

// nodeIP is node k's (from 0) InternalIP.
func nodeIP(k int) string {
	return fmt.Sprintf("10.0.%d.%d", 4*(k/nodesPerRack), 11+k%nodesPerRack)
}

// nodePodCIDR is node k's spec.podCIDR.
func nodePodCIDR(k int) string {
	return fmt.Sprintf("10.%d.%d.0/24", 244+k/256, k%256)
}

// writeNodes writes n Node objects as `kubectl get nodes -o yaml` shows a kubeadm cluster's
// workers.
func writeNodes(b *strings.Builder, n int) {
	if n > MaxNodes {
		panic(fmt.Sprintf("dumpgen: %d nodes needed, at most %d (raise PodsPerNode)", n, MaxNodes))
	}
	for k := 0; k < n; k++ {
		name := fmt.Sprintf("node%03d", k+1)
		fmt.Fprintf(b, `apiVersion: v1
kind: Node
metadata:
  name: %[1]s
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: %[1]s
    kubernetes.io/os: linux
    topology.kubernetes.io/zone: rack-%[4]d
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    volumes.kubernetes.io/controller-managed-attach-detach: "true"
spec:
  podCIDR: %[3]s
  podCIDRs:
  - %[3]s
status:
  addresses:
  - address: %[2]s
    type: InternalIP
  - address: %[1]s
    type: Hostname
  allocatable:
    cpu: "16"
    memory: 64Gi
    pods: "250"
  capacity:
    cpu: "16"
    memory: 64Gi
    pods: "250"
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status
  nodeInfo:
    architecture: amd64
    bootID: ""
    containerRuntimeVersion: containerd://2.1.4
    kernelVersion: 6.8.0-79-generic
    kubeProxyVersion: ""
    kubeletVersion: v1.37.0
    machineID: ""
    operatingSystem: linux
    osImage: Ubuntu 24.04.3 LTS
    systemUUID: ""
---
`, name, nodeIP(k), nodePodCIDR(k), k/nodesPerRack)
	}
}
