package model

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// DefaultAffinitySeconds is the API server's default sessionAffinityConfig timeout (3 hours).
const DefaultAffinitySeconds = 10800

// defaultService applies what the API server's defaulting does to a Service before validation.
func defaultService(s *corev1.Service) {
	spec := &s.Spec
	if spec.Type == "" {
		spec.Type = corev1.ServiceTypeClusterIP
	}
	if spec.SessionAffinity == "" {
		spec.SessionAffinity = corev1.ServiceAffinityNone
	}
	if spec.SessionAffinity == corev1.ServiceAffinityClientIP &&
		(spec.SessionAffinityConfig == nil || spec.SessionAffinityConfig.ClientIP == nil || spec.SessionAffinityConfig.ClientIP.TimeoutSeconds == nil) {
		t := int32(DefaultAffinitySeconds)
		spec.SessionAffinityConfig = &corev1.SessionAffinityConfig{ClientIP: &corev1.ClientIPConfig{TimeoutSeconds: &t}}
	}
	for i := range spec.Ports {
		p := &spec.Ports[i]
		if p.Protocol == "" {
			p.Protocol = corev1.ProtocolTCP
		}
		// targetPort defaults to port when it is missing, 0 or "".
		if (p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal == 0) || (p.TargetPort.Type == intstr.String && p.TargetPort.StrVal == "") {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
	}
	if HasNodePorts(spec.Type) && spec.ExternalTrafficPolicy == "" {
		spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyCluster
	}
	if spec.Type != corev1.ServiceTypeExternalName && spec.InternalTrafficPolicy == nil {
		p := corev1.ServiceInternalTrafficPolicyCluster
		spec.InternalTrafficPolicy = &p
	}
}

// defaultPodSpec gives container ports their default protocol and, on the node's network
// (hostNetwork), their default hostPort: the containerPort (SetDefaults_PodSpec).
func defaultPodSpec(spec *corev1.PodSpec) {
	for _, cs := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for i := range cs {
			for j := range cs[i].Ports {
				cp := &cs[i].Ports[j]
				if cp.Protocol == "" {
					cp.Protocol = corev1.ProtocolTCP
				}
				if spec.HostNetwork && cp.HostPort == 0 {
					cp.HostPort = cp.ContainerPort
				}
			}
		}
	}
}
