package model

import (
	corev1 "k8s.io/api/core/v1"
)

// Readiness is what the EndpointSlice controller and kube-proxy make of a Pod's status, as
// `kubectl get -o yaml` dumps it. A Pod written without any status (a plain manifest, or one a
// workload would create), or whose status has no Ready condition and no phase but Running, is
// taken as running and ready.
type Readiness struct {
	// Endpoint: the controller lists the Pod in the Service's EndpointSlices at all. Terminal
	// Pods (Succeeded, Failed) and Pods without an IP are not listed.
	Endpoint bool
	// Ready: the Pod's Ready condition is True and it is not terminating. kube-proxy sends
	// traffic only to ready endpoints.
	Ready bool
	// Terminating: metadata.deletionTimestamp is set. A terminating Pod whose Ready condition is
	// still True is "serving": kube-proxy falls back to such endpoints when none is ready.
	Terminating bool
	Serving     bool
	// Reason says why the Pod is not a ready endpoint ("" when it is).
	Reason string
	// Why is Reason as svcviz's words, for wording it in another language (Words.In).
	Why Words
}

// Readiness reads the Pod's status.
func (p *Pod) Readiness() Readiness {
	if p.Obj == nil {
		return Readiness{Endpoint: true, Ready: true, Serving: true}
	}
	st := &p.Obj.Status
	terminating := p.Obj.DeletionTimestamp != nil
	if st.Phase == "" && len(st.Conditions) == 0 && st.PodIP == "" && len(st.PodIPs) == 0 {
		if terminating {
			return because(Readiness{Endpoint: true, Terminating: true, Serving: true}, W("terminating (metadata.deletionTimestamp is set)"))
		}
		return Readiness{Endpoint: true, Ready: true, Serving: true}
	}
	switch st.Phase {
	case corev1.PodSucceeded, corev1.PodFailed:
		return because(Readiness{}, W("not an endpoint: the Pod has terminated (phase {0})", string(st.Phase)))
	case corev1.PodPending:
		if st.PodIP == "" && len(st.PodIPs) == 0 {
			return because(Readiness{}, W("not an endpoint: the Pod has no IP yet (phase Pending)"))
		}
	}
	// Without a Ready condition the status was written by hand (a dump always has one), often
	// only to pin podIP: the Pod is taken as ready unless its phase says it has not started.
	r := Readiness{Endpoint: true, Terminating: terminating, Serving: st.Phase != corev1.PodPending}
	cond := W("no Ready condition")
	for _, c := range st.Conditions {
		if c.Type == corev1.PodReady {
			r.Serving = c.Status == corev1.ConditionTrue
			text := "Ready=" + string(c.Status)
			if c.Reason != "" {
				text += ": " + Escape(c.Reason)
			}
			cond = Lit(text)
			break
		}
	}
	r.Ready = r.Serving && !terminating
	switch {
	case terminating && !r.Serving:
		return because(r, WW("terminating (metadata.deletionTimestamp is set), not ready ({0})", cond))
	case terminating:
		return because(r, W("terminating (metadata.deletionTimestamp is set)"))
	case !r.Ready && st.Phase != "" && st.Phase != corev1.PodRunning:
		return because(r, WW("not ready ({0}), phase {1}", cond, Lit(string(st.Phase))))
	case !r.Ready:
		return because(r, WW("not ready ({0})", cond))
	}
	return r
}

// because sets why r is not a ready endpoint, in English (Reason) and as words (Why).
func because(r Readiness, why Words) Readiness {
	r.Reason, r.Why = why.String(), why
	return r
}
