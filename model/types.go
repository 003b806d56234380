// Package model turns Kubernetes YAML into a picture of a cluster's Services and Pods: objects
// decoded into k8s.io/api types with the API server's defaults, workloads expanded into the Pods
// their controllers would create, Service ports resolved to endpoints, and diagnostics that say
// why a Service reaches no Pod. It never prints and never panics on input.
package model

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Pos is where something stands in the input: a file and a 1-based line (0 when unknown).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Meta is what every loaded object shares: its identity and where it came from.
type Meta struct {
	Kind      string
	Namespace string
	Name      string
	File      string
	Doc       int // 1-based document number within File
	Line      int // line of the document's first key
	pos       posTree
}

// Ref is the object's name as diagnostics print it: "Service/default/web".
func (m *Meta) Ref() string { return m.Kind + "/" + m.Namespace + "/" + m.Name }

// Key is the object's NAMESPACE/NAME, as kubectl takes it and client-go's
// MetaNamespaceKeyFunc writes it: "default/myapp-service".
func (m *Meta) Key() string { return m.Namespace + "/" + m.Name }

// Pos returns the position of a field path such as "spec.ports[0].nodePort". When the path is
// not in the source (a defaulted field), it returns the nearest ancestor that is.
func (m *Meta) Pos(path string) Pos {
	return Pos{File: m.File, Line: m.pos.lineOf(path, m.Line)}
}

// Has reports whether the field path was written in the source (not defaulted).
func (m *Meta) Has(path string) bool { return m.pos.has(path) }

// Cluster is everything loaded from the input, resolved.
type Cluster struct {
	Sources     []*Source
	Namespaces  []string // declared Namespace objects, in order
	Services    []*Service
	Pods        []*Pod // bare Pods and Pods expanded from workloads, in file order; not those the API server refuses
	Workloads   []*Workload
	Endpoints   []*EndpointsObject
	Diagnostics []Diagnostic
	// Nodes are the names of the cluster's nodes: those the input names (Node objects, then
	// spec.nodeName in file order), else the configured ones (node01, …).
	Nodes       []string
	NodeObjects []*Node // Node objects of the input (kubectl get nodes -o yaml)
	// Schedule are the nodes Pods without spec.nodeName are spread over, round-robin: the
	// input's nodes, or the configured ones when there are any.
	Schedule []string
	// NodesFromInput reports that the input names nodes; otherwise Nodes are the configured ones
	// and netsim.Config.Nodes decides.
	NodesFromInput bool
}

// Source is one input file, kept for the YAML pane.
type Source struct {
	Name string
	Data []byte
}

// Service is a Service object after defaulting, with its ports resolved to endpoints.
type Service struct {
	Meta
	Obj   *corev1.Service
	Ports []*ServicePort
	// Selected are the Pods the selector matches (same namespace), whether or not they can
	// receive traffic on a given port.
	Selected []*Pod
	// Workloads are the workloads whose Pod template the selector matches (even with no Pods).
	Workloads []*Workload
	// Backing are the EndpointSlices (or Endpoints objects, mirrored) that give a selectorless
	// Service its endpoints.
	Backing []*EndpointsObject
	// Nearest is, for a selector that matches no Pod, the Pod that comes closest and how its
	// labels differ (nil otherwise).
	Nearest *NearestPod
}

// Type is the Service type after defaulting.
func (s *Service) Type() corev1.ServiceType { return s.Obj.Spec.Type }

// Headless reports clusterIP: None.
func (s *Service) Headless() bool { return s.Obj.Spec.ClusterIP == corev1.ClusterIPNone }

// ServicePort is one entry of spec.ports after defaulting, with its endpoints.
type ServicePort struct {
	Index      int
	Name       string
	Protocol   corev1.Protocol
	Port       int32
	TargetPort intstr.IntOrString
	NodePort   int32 // 0 when not set in the YAML; netsim allocates one
	Endpoints  []Endpoint
	// Unready are selected Pods that take no traffic on this port, with the reason: a named
	// targetPort they do not define, a status that is not ready (Ready condition not True,
	// terminating), or a terminal phase.
	Unready []Unready
}

// Path is the field path of this port: "spec.ports[0]".
func (p *ServicePort) Path() string { return "spec.ports[" + itoa(p.Index) + "]" }

// Endpoint is one Pod (or one address of an Endpoints object) behind a Service port.
type Endpoint struct {
	Pod  *Pod   // nil for an address from an Endpoints object
	IP   string // set for Endpoints-object addresses
	Port int32
	// Container is the container that declares the port and PortField the declaration's path in
	// the pod spec ("containers[0].ports[0]"); both "" when no container declares it (traffic
	// still goes to that port, as the endpoints controller does).
	Container string
	PortField string
	Named     bool // resolved through a named targetPort
	NodeName  string
	// Terminating: the Pod is being deleted but still passes readiness; kube-proxy uses such
	// endpoints only when the port has no ready one.
	Terminating bool
}

// Declared reports whether a container declares the endpoint's port.
func (e Endpoint) Declared() bool { return e.Container != "" }

// Unready is a selected Pod that cannot receive on a port, and why.
type Unready struct {
	Pod    *Pod
	Reason string
	// PortName is the named targetPort none of the Pod's containers declares for the port's
	// protocol, when that is why ("" for the other reasons).
	PortName string
}

// Pod is a Pod object from the input or one that a workload would create.
type Pod struct {
	Meta
	// Obj is the Pod object. The replicas of a Deployment, ReplicaSet or ReplicationController
	// share one, with an empty ObjectMeta.Name: the Pod's name is Meta.Name.
	Obj *corev1.Pod
	// Owner is the workload that creates this Pod, or nil for a bare Pod. Meta positions of an
	// owned Pod point into the owner's template.
	Owner *Workload
	// Ordinal is the Pod's index within its owner (StatefulSet ordinal, replica number).
	Ordinal int
}

// SpecPath is the field path prefix of the pod spec in the source: "spec" for a Pod,
// "spec.template.spec" for a workload's template.
func (p *Pod) SpecPath() string {
	if p.Owner != nil {
		return "spec.template.spec"
	}
	return "spec"
}

// LabelsPath is the field path of the labels that selectors match.
func (p *Pod) LabelsPath() string {
	if p.Owner != nil {
		return "spec.template.metadata.labels"
	}
	return "metadata.labels"
}

// FieldPos is the position of a field path within the Pod's spec (e.g. "containers[0].ports[1].name").
func (p *Pod) FieldPos(sub string) Pos {
	if p.Owner != nil {
		return p.Owner.Pos(p.SpecPath() + "." + sub)
	}
	return p.Pos(p.SpecPath() + "." + sub)
}

// Workload is a ReplicationController, ReplicaSet, Deployment, StatefulSet or DaemonSet.
type Workload struct {
	Meta
	Replicas      int32
	LabelSelector *metav1.LabelSelector
	Template      *corev1.PodTemplateSpec
	Pods          []*Pod
	ServiceName   string // a StatefulSet's governing Service (spec.serviceName)
	hash          string // templateHash, computed once
}

// EndpointsObject is an EndpointSlice, or a v1 Endpoints object as the EndpointSlice mirroring
// controller turns it into slices, that gives a selectorless Service its endpoints.
type EndpointsObject struct {
	Meta
	// Service is the Service it belongs to: an Endpoints object's own name, a slice's
	// kubernetes.io/service-name label ("" when the slice has none).
	Service string
	// AddressType is the slice's addressType (IPv4, IPv6, FQDN); IPv4 for Endpoints.
	AddressType string
	// SkipMirror is an Endpoints object labelled endpointslice.kubernetes.io/skip-mirror: its
	// writer (the API server, for default/kubernetes) writes the slice itself.
	SkipMirror bool
	Ports      []SlicePort
	Addresses  []EndpointAddress
}

// SlicePort is one entry of a slice's ports (an Endpoints subset's ports), with its index.
type SlicePort struct {
	Index    int
	Name     string
	Port     int32
	Protocol corev1.Protocol
}

// EndpointAddress is one address:port of an EndpointSlice or Endpoints object, with the
// conditions kube-proxy reads (an Endpoints object's notReadyAddresses are not ready).
type EndpointAddress struct {
	IP          string
	Port        int32
	PortName    string
	Protocol    corev1.Protocol
	NodeName    string
	Ready       bool
	Serving     bool
	Terminating bool
}
