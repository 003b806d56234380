package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/rand"
)

// MaxReplicas bounds how many Pods one workload expands into, so that `replicas: 2000000000`
// cannot exhaust memory. Larger workloads are drawn with this many and a warning.
const MaxReplicas = 1000

// workloadFrom reads the parts of a workload that Service networking needs.
func workloadFrom(meta *Meta, obj any) *Workload {
	w := &Workload{Meta: *meta, Replicas: 1}
	var replicas *int32
	var sel *metav1.LabelSelector
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		replicas, w.Template = o.Spec.Replicas, o.Spec.Template
		// A ReplicationController's selector defaults to its template's labels.
		if len(o.Spec.Selector) > 0 {
			sel = &metav1.LabelSelector{MatchLabels: o.Spec.Selector}
		} else if w.Template != nil {
			sel = &metav1.LabelSelector{MatchLabels: w.Template.Labels}
		}
	case *appsv1.ReplicaSet:
		replicas, w.Template, sel = o.Spec.Replicas, templateOf(o.Spec.Template), o.Spec.Selector
	case *appsv1.Deployment:
		replicas, w.Template, sel = o.Spec.Replicas, templateOf(o.Spec.Template), o.Spec.Selector
	case *appsv1.StatefulSet:
		replicas, w.Template, sel = o.Spec.Replicas, templateOf(o.Spec.Template), o.Spec.Selector
		w.ServiceName = o.Spec.ServiceName
	case *appsv1.DaemonSet:
		w.Template, sel = templateOf(o.Spec.Template), o.Spec.Selector
	default:
		return nil
	}
	if replicas != nil {
		w.Replicas = *replicas
	}
	w.LabelSelector = sel
	if w.Template == nil {
		w.Template = &corev1.PodTemplateSpec{}
	}
	return w
}

// templateOf copies a workload's template out of the object, so that the rest of it (labels,
// strategy, status: nothing the simulation reads) is not kept alive by the Workload.
func templateOf(t corev1.PodTemplateSpec) *corev1.PodTemplateSpec { return &t }

// selectorMatchesTemplate reports whether the workload's own selector selects its template, as
// the API server requires; a workload that fails this is never created.
func (w *Workload) selectorMatchesTemplate() (bool, string) {
	if w.LabelSelector == nil {
		return false, "missing"
	}
	s, err := metav1.LabelSelectorAsSelector(w.LabelSelector)
	if err != nil {
		return false, err.Error()
	}
	if s.Empty() {
		return false, "empty"
	}
	return s.Matches(labels.Set(w.Template.Labels)), ""
}

// expand creates the Pods the workload's controller would create, named as it would name them.
func (w *Workload) expand(nodes []string) []*Pod {
	names := w.podNames(nodes)
	pods := make([]*Pod, 0, len(names))
	// The replicas of a Deployment, ReplicaSet or ReplicationController are alike but for their
	// names, which Pod.Name holds: they share one object (read only, like the rest of the model),
	// whose ObjectMeta.Name is left empty. A StatefulSet's and a DaemonSet's differ (labels,
	// hostname, node) and get one each.
	var shared *corev1.Pod
	if w.Kind != "StatefulSet" && w.Kind != "DaemonSet" {
		shared = &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: w.Namespace, Labels: w.podLabels("")}, Spec: w.Template.Spec}
	}
	slab := make([]Pod, len(names)) // one allocation for the workload's Pods, which live as long
	for i, name := range names {
		p := &slab[i]
		*p = Pod{Meta: w.Meta, Owner: w, Ordinal: i}
		p.Kind, p.Name = "Pod", name
		if p.Obj = shared; shared != nil {
			pods = append(pods, p)
			continue
		}
		p.Obj = &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: w.Namespace, Labels: w.podLabels(name)},
			Spec:       w.Template.Spec,
		}
		switch w.Kind {
		case "DaemonSet":
			p.Obj.Spec.NodeName = nodes[i]
		case "StatefulSet":
			// The StatefulSet controller names each Pod's host after it, under the governing
			// Service: that is what gives web-0 its DNS name web-0.nginx.NS.svc.cluster.local.
			p.Obj.Spec.Hostname, p.Obj.Spec.Subdomain = name, w.ServiceName
		}
		pods = append(pods, p)
	}
	return pods
}

func (w *Workload) count() int {
	n := int(w.Replicas)
	if n < 0 {
		return 0
	}
	return min(n, MaxReplicas)
}

// podNames follows each controller's naming: StatefulSet ordinals, a ReplicaSet's name plus a
// random 5-character suffix (here derived from a hash, so runs are repeatable), and a
// Deployment's ReplicaSet named after its pod-template-hash.
func (w *Workload) podNames(nodes []string) []string {
	var base string
	n := w.count()
	switch w.Kind {
	case "StatefulSet":
		out := make([]string, n)
		for i := range out {
			out[i] = w.Name + "-" + strconv.Itoa(i)
		}
		return out
	case "Deployment":
		base = w.Name + "-" + w.templateHash()
	case "DaemonSet":
		base, n = w.Name, len(nodes)
	default:
		base = w.Name
	}
	out := make([]string, n)
	for i := range out {
		out[i] = base + "-" + suffix(w.suffixKey(base), i)
	}
	return out
}

// templateHash stands in for the pod-template-hash label: a hash of the template, encoded with
// the alphabet Kubernetes uses for generated names. It is computed once, when the first Pod
// is named (after defaulting): every Pod of the workload carries it, and marshalling the
// template again for each Pod's label took a sixth of the loader's time.
func (w *Workload) templateHash() string {
	if w.hash == "" {
		h := fnv.New32a()
		// json.Marshal's bytes, streamed into the hash: an Encoder reuses its buffer and adds
		// only a newline, which is left out
		json.NewEncoder(trimNewline{h}).Encode(w.Template)
		w.hash = rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
	}
	return w.hash
}

// trimNewline writes what it is given but a last newline: an Encoder's one Write of a value.
type trimNewline struct{ w io.Writer }

func (t trimNewline) Write(b []byte) (int, error) {
	_, err := t.w.Write(bytes.TrimSuffix(b, []byte("\n")))
	return len(b), err
}

// suffixKey seeds the random-looking suffix. The same workload in two namespaces gets
// different suffixes, as the API server's random names would (names in "default" keep the
// seed they always had).
func (w *Workload) suffixKey(base string) string {
	if w.Namespace == "default" || w.Namespace == "" {
		return base
	}
	return w.Namespace + "/" + base
}

func suffix(base string, i int) string {
	h := fnv.New64a()
	h.Write([]byte(base + "/" + strconv.Itoa(i))) // what fmt's "%s/%d" writes
	s := rand.SafeEncodeString(strconv.FormatUint(h.Sum64(), 10))
	return s[len(s)-5:]
}

// podLabels are the template's labels plus those the controller adds.
func (w *Workload) podLabels(podName string) map[string]string {
	out := make(map[string]string, len(w.Template.Labels)+1)
	for k, v := range w.Template.Labels {
		out[k] = v
	}
	switch w.Kind {
	case "Deployment":
		out[appsv1.DefaultDeploymentUniqueLabelKey] = w.templateHash()
	case "StatefulSet":
		out[appsv1.StatefulSetPodNameLabel] = podName
	}
	return out
}
