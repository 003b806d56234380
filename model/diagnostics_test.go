package model

import (
	"strings"
	"testing"
)

// loadString loads one in-memory file named test.yaml.
func loadString(t testing.TB, yaml string, opts Options) *Cluster {
	t.Helper()
	return LoadSources([]*Source{{Name: "test.yaml", Data: []byte(yaml)}}, opts)
}

func withCode(ds []Diagnostic, code string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func dumpDiags(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\n  " + string(d.Severity) + " " + d.Code + " " + d.Object + " " + d.Field + " " + d.Location() + ": " + d.Message)
		if d.Hint != "" {
			b.WriteString(" (hint: " + d.Hint + ")")
		}
	}
	return b.String()
}

// diagCase is one diagnostic code: a manifest that triggers it, with what the diagnostic must
// say, and a near-identical manifest that must not trigger it.
type diagCase struct {
	name     string
	code     string
	bad      string
	good     string
	severity Severity
	object   string
	field    string
	line     int
	message  string // exact, when the API server's wording applies
	contains string // substring of the message otherwise
	hint     string // substring of the hint
}

var diagCases = []diagCase{
	{
		name: "tab indentation", code: CodeInvalidYAML, severity: Error, line: 5,
		contains: "found a tab character that violates indentation", hint: "spaces, not tabs",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
	namespace: x
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: x
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "tab-indented block", code: CodeInvalidYAML, severity: Error, line: 6,
		contains: "found character that cannot start any token", hint: "spaces, not tabs",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
	ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "invalid yaml in second document", code: CodeInvalidYAML, severity: Error, line: 9,
		contains: "mapping values are not allowed",
		bad: `apiVersion: v1
kind: Namespace
metadata:
  name: x
---
apiVersion: v1
kind: Service
metadata:
  name: a: b
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Namespace
metadata:
  name: x
---
apiVersion: v1
kind: Service
metadata:
  name: "a: b"
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "string where a number belongs", code: CodeInvalidObject, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].port", line: 7,
		contains: "spec.ports[0].port", hint: "wrong type",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: eighty
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
`,
	},
	{
		name: "object without kind", code: CodeInvalidObject, severity: Error, field: "kind", line: 1,
		message: "object has no kind",
		bad: `apiVersion: v1
metadata:
  name: web
`,
		good: `apiVersion: v1
kind: Namespace
metadata:
  name: web
`,
	},
	{
		name: "same Service twice", code: CodeDuplicateObject, severity: Error,
		object: "Service/default/web", field: "metadata.name", line: 10,
		contains: `Service "default/web" is defined twice`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: other}
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "object without apiVersion", code: CodeInvalidObject, severity: Error,
		object: "Service/default/web", field: "apiVersion", line: 1,
		message: "object has no apiVersion", hint: "a Service is apiVersion: v1",
		bad: `kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "Deployment in extensions/v1beta1", code: CodeUnsupportedVersion, severity: Error,
		object: "Deployment/default/web", field: "apiVersion", line: 2,
		message: `no matches for kind "Deployment" in version "extensions/v1beta1"`,
		hint:    "stopped serving extensions/v1beta1 in Kubernetes 1.16; change apiVersion to apps/v1",
		bad: `# old tutorial
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`,
		good: `# old tutorial
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`,
	},
	{
		name: "EndpointSlice in discovery.k8s.io/v1beta1", code: CodeUnsupportedVersion, severity: Error,
		object: "EndpointSlice/default/db-1", field: "apiVersion", line: 1,
		message: `no matches for kind "EndpointSlice" in version "discovery.k8s.io/v1beta1"`,
		hint:    "change apiVersion to discovery.k8s.io/v1",
		bad: `apiVersion: discovery.k8s.io/v1beta1
kind: EndpointSlice
metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}
addressType: IPv4
endpoints: [{addresses: [192.168.1.50]}]
ports: [{port: 5432}]
`,
		good: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: db-1, labels: {kubernetes.io/service-name: db}}
addressType: IPv4
endpoints: [{addresses: [192.168.1.50]}]
ports: [{port: 5432}]
`,
	},
	{
		name: "Pod in apps/v1", code: CodeUnsupportedVersion, severity: Error,
		object: "Pod/default/p", field: "apiVersion", line: 1,
		message: `no matches for kind "Pod" in version "apps/v1"`, hint: "a Pod is apiVersion: v1",
		bad: `apiVersion: apps/v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: nginx}]}
`,
		good: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: nginx}]}
`,
	},
	{
		name: "Service name with capitals", code: CodeInvalidName, severity: Error,
		object: "Service/default/Web", field: "metadata.name", line: 4,
		message: `metadata.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: Web
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "Pod name with underscore", code: CodeInvalidName, severity: Error,
		object: "Pod/default/my_pod", field: "metadata.name", line: 4,
		message: `metadata.name: Invalid value: "my_pod": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: my_pod
spec:
  containers: [{name: c, image: nginx}]
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: my.pod
spec:
  containers: [{name: c, image: nginx}]
`,
	},
	{
		name: "Service without a name", code: CodeInvalidName, severity: Error,
		object: "Service/default/", field: "metadata.name", line: 3,
		message: "metadata.name: Required value: name or generateName is required",
		bad: `apiVersion: v1
kind: Service
metadata:
  labels: {app: web}
spec:
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "container name with capitals", code: CodeInvalidName, severity: Error,
		object: "Pod/default/p", field: "spec.containers[0].name", line: 7,
		message: `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: Web
    image: nginx
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: web
    image: nginx
`,
	},
	{
		name: "template container without a name", code: CodeInvalidName, severity: Error,
		object: "Deployment/default/web", field: "spec.template.spec.containers[1].name", line: 12,
		message: `spec.template.spec.containers[1].name: Required value`,
		bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
      - image: exporter
`,
		good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
      - name: exporter
        image: exporter
`,
	},
	{
		name: "two containers of one name", code: CodeInvalidName, severity: Error,
		object: "Pod/default/p", field: "spec.containers[0].name", line: 9,
		message: `spec.containers[0].name: Duplicate value: "app"`,
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - {name: app, image: busybox}
  containers:
  - name: app
    image: nginx
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - {name: init, image: busybox}
  containers:
  - name: app
    image: nginx
`,
	},
	{
		name: "label value with an escape character", code: CodeInvalidLabel, severity: Error,
		object: "Pod/default/p", field: "metadata.labels", line: 6,
		message: `metadata.labels: Invalid value: "x\x1b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    app: "x\e"
spec: {containers: [{name: c, image: nginx}]}
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    app: "x"
spec: {containers: [{name: c, image: nginx}]}
`,
	},
	{
		name: "template label key with two slashes", code: CodeInvalidLabel, severity: Error,
		object: "Deployment/default/web", field: "spec.template.labels", line: 10,
		message: `spec.template.labels: Invalid value: "example.com/app/name": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
		bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        app: web
        example.com/app/name: web
    spec: {containers: [{name: c, image: nginx}]}
`,
		good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        app: web
        example.com/app-name: web
    spec: {containers: [{name: c, image: nginx}]}
`,
	},
	{
		name: "selector value too long", code: CodeInvalidLabel, severity: Error,
		object: "Service/default/web", field: "spec.selector", line: 7,
		message: `spec.selector: Invalid value: "web-frontend-for-the-shop-checkout-and-payment-and-shipping-pages": must be no more than 63 bytes`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web-frontend-for-the-shop-checkout-and-payment-and-shipping-pages
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web-frontend-for-the-shop-checkout
  ports: [{port: 80}]
`,
	},
	{
		name: "port out of range", code: CodeInvalidPort, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].port", line: 8,
		message: "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - targetPort: 80
    port: 70000
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - targetPort: 80
    port: 65535
`,
	},
	{
		name: "targetPort out of range", code: CodeInvalidPort, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].targetPort", line: 7,
		message: "spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - targetPort: 65536
    port: 80
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - targetPort: 65535
    port: 80
`,
	},
	{
		name: "unsupported protocol", code: CodeInvalidPort, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].protocol", line: 8,
		message: `spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    protocol: tcp
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    protocol: TCP
`,
	},
	{
		name: "containerPort out of range", code: CodeInvalidPort, severity: Error,
		object: "Pod/default/p", field: "spec.containers[0].ports[0].containerPort", line: 10,
		message: "spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive",
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - containerPort: 0
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - containerPort: 1
`,
	},
	{
		name: "nodePort below the range", code: CodeInvalidNodePort, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].nodePort", line: 9,
		message: "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
		hint:    "30000 and 32767",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 80
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30080
`,
	},
	{
		name: "nodePort above the range", code: CodeInvalidNodePort, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].nodePort", line: 9,
		message: "spec.ports[0].nodePort: Invalid value: 32768: provided port is not in the valid range. The range of valid ports is 30000-32767",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports:
  - port: 80
    nodePort: 32768
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports:
  - port: 80
    nodePort: 32767
`,
	},
	{
		name: "nodePort on a ClusterIP Service", code: CodeNodePortNotAllowed, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].nodePort", line: 9,
		message: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
		hint:    "type: NodePort",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  ports:
  - port: 80
    nodePort: 30080
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30080
`,
	},
	{
		name: "nodePort with the type defaulted", code: CodeNodePortNotAllowed, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].nodePort", line: 8,
		message: "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    nodePort: 30080
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    nodePort: 0
`,
	},
	{
		name: "same port and protocol twice", code: CodeDuplicatePort, severity: Error,
		object: "Service/default/web", field: "spec.ports[1]", line: 10,
		message: `spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: a
    port: 80
  - name: b
    port: 80
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: a
    port: 80
  - name: b
    port: 80
    protocol: UDP
`,
	},
	{
		name: "same port name twice", code: CodeDuplicatePort, severity: Error,
		object: "Service/default/web", field: "spec.ports[1].name", line: 9,
		message: `spec.ports[1].name: Duplicate value: "a"`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: a
    port: 80
  - name: a
    port: 81
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: a
    port: 80
  - name: b
    port: 81
`,
	},
	{
		name: "nodePort twice in one Service", code: CodeDuplicateNodePort, severity: Error,
		object: "Service/default/web", field: "spec.ports[1].nodePort", line: 13,
		message: "spec.ports[1].nodePort: Invalid value: 30500: provided port is already allocated",
		hint:    "already used by default/web spec.ports[0]",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - name: a
    port: 80
    nodePort: 30500
  - name: b
    port: 81
    nodePort: 30500
`,
		// The allocator gives a nodePort once per Service port number: TCP and UDP on the same
		// port may share it (DNS on a NodePort).
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
  - name: a
    port: 80
    nodePort: 30500
  - name: b
    port: 80
    protocol: UDP
    nodePort: 30500
`,
	},
	{
		name: "nodePort in two Services", code: CodeDuplicateNodePort, severity: Error,
		object: "Service/default/two", field: "spec.ports[0].nodePort", line: 19,
		message: "spec.ports[0].nodePort: Invalid value: 30500: provided port is already allocated",
		hint:    "already used by default/one spec.ports[0]",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: one
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30500
---
apiVersion: v1
kind: Service
metadata:
  name: two
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30500
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: one
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30500
---
apiVersion: v1
kind: Service
metadata:
  name: two
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30501
`,
	},
	{
		name: "two ports without names", code: CodePortNameRequired, severity: Error,
		object: "Service/default/web", field: "spec.ports[1].name", line: 8,
		message: "spec.ports[1].name: Required value",
		hint:    "every port needs a name",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - {name: http, port: 80}
  - {port: 443}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - {name: http, port: 80}
  - {name: https, port: 443}
`,
	},
	{
		name: "port name with capitals", code: CodeInvalidPortName, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].name", line: 7,
		message: `spec.ports[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: Web
    port: 80
`,
		// A Service port name is a DNS-1123 label, not an IANA_SVC_NAME: longer than 15 and
		// digits only are both fine (kubectl create service writes "80-80").
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - name: web-http-port-number-80
    port: 80
  - name: "443"
    port: 443
`,
	},
	{
		name: "named targetPort too long", code: CodeInvalidPortName, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].targetPort", line: 8,
		message: `spec.ports[0].targetPort: Invalid value: "metrics-endpoint": must be no more than 15 characters`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: metrics-endpoint
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: metrics-endpt
`,
	},
	{
		name: "container port name without a letter", code: CodeInvalidPortName, severity: Error,
		object: "Pod/default/p", field: "spec.containers[0].ports[0].name", line: 10,
		message: `spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)`,
		bad: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - name: "8080"
      containerPort: 8080
`,
		good: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx
    ports:
    - name: h8080
      containerPort: 8080
`,
	},
	{
		name: "selector does not match template", code: CodeSelectorMismatch, severity: Error,
		object: "Deployment/default/web", field: "spec.template.metadata.labels", line: 10,
		message: "spec.template.metadata.labels: Invalid value: {\"app\":\"b\"}: `selector` does not match template `labels`",
		bad: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: a}
  template:
    metadata:
      labels: {app: b}
    spec:
      containers: [{name: c, image: nginx}]
`,
		good: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: b}
  template:
    metadata:
      labels: {app: b}
    spec:
      containers: [{name: c, image: nginx}]
`,
	},
	{
		name: "workload without selector", code: CodeSelectorMismatch, severity: Error,
		object: "StatefulSet/default/db", field: "spec.selector", line: 5,
		message: "spec.selector: Required value",
		bad: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    metadata:
      labels: {app: db}
    spec:
      containers: [{name: c, image: postgres}]
`,
		good: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers: [{name: c, image: postgres}]
`,
	},
	{
		name: "clusterIP not an IP", code: CodeInvalidClusterIP, severity: Error,
		object: "Service/default/web", field: "spec.clusterIPs[0]", line: 6,
		message: `spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.0.300
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.0.30
  ports: [{port: 80}]
`,
	},
	{
		name: "clusterIP with leading zeros", code: CodeInvalidClusterIP, severity: Error,
		object: "Service/default/web", field: "spec.clusterIPs[0]", line: 6,
		message: `spec.clusterIPs[0]: Invalid value: "10.96.0.011": must not have leading 0s`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.0.011
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.0.11
  ports: [{port: 80}]
`,
	},
	{
		name: "clusterIP with an IPv6 zone", code: CodeInvalidClusterIP, severity: Error,
		object: "Service/default/web", field: "spec.clusterIPs[0]", line: 6,
		message: `spec.clusterIPs[0]: Invalid value: "fd00::11%eth0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: "fd00::11%eth0"
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: "fd00::11"
  ports: [{port: 80}]
`,
	},
	{
		name: "clusterIP None on a NodePort Service", code: CodeInvalidClusterIP, severity: Error,
		object: "Service/default/web", field: "spec.clusterIPs[0]", line: 7,
		message: `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  clusterIP: None
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  clusterIP: None
  ports: [{port: 80}]
`,
	},
	{
		name: "Service without ports", code: CodePortsRequired, severity: Error,
		object: "Service/default/web", field: "spec.ports", line: 5,
		message: "spec.ports: Required value",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
`,
	},
	{
		name: "externalTrafficPolicy on ClusterIP", code: CodeTrafficPolicy, severity: Error,
		object: "Service/default/web", field: "spec.externalTrafficPolicy", line: 6,
		message: `spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  externalTrafficPolicy: Local
  type: ClusterIP
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  externalTrafficPolicy: Local
  type: NodePort
  ports: [{port: 80}]
`,
	},
	{
		name: "selector matches nothing", code: CodeNoMatchingPods, severity: Warning,
		object: "Service/default/web", field: "spec.selector", line: 6,
		message: `selector app=web,tier=front matches no Pod in namespace "default"`,
		hint:    `nearest: Pod "web-back" has labels app=web,tier=back; selector wants tier=front, the Pod has tier=back; would match Pod "web-front" in namespace "other": a Service only selects Pods in its own namespace`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web, tier: front}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-back
  labels: {app: web, tier: back}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-front
  namespace: other
  labels: {app: web, tier: front}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web, tier: back}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-back
  labels: {app: web, tier: back}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-front
  namespace: other
  labels: {app: web, tier: front}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
`,
	},
	{
		name: "selector matches a workload scaled to zero", code: CodeNoMatchingPods, severity: Warning,
		object: "Service/default/web", field: "spec.selector", line: 6,
		message: `selector app=web matches no Pod in namespace "default"`,
		hint:    `it matches Deployment "web", which runs no Pods (replicas: 0)`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`,
	},
	{
		name: "selected Pods not ready", code: CodeNoReadyEndpoints, severity: Warning,
		object: "Service/default/web", field: "spec.selector", line: 6,
		contains: `selector app=web matches 2 Pod(s) in namespace "default", but none is ready, so the Service has no ready endpoint: web-1 not ready (Ready=False: ContainersNotReady), web-2 not an endpoint: the Pod has terminated (phase Failed)`,
		hint:     "publishNotReadyAddresses",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status:
  phase: Running
  podIP: 10.244.1.5
  conditions:
  - {type: Ready, status: "False", reason: ContainersNotReady}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Failed}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status:
  phase: Running
  podIP: 10.244.1.5
  conditions:
  - {type: Ready, status: "True"}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Failed}
`,
	},
	{
		name: "no selector and no Endpoints", code: CodeNoSelector, severity: Warning,
		object: "Service/default/db", field: "spec", line: 5,
		contains: "Service has no selector", hint: `Endpoints object named "db"`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata:
  name: db-old
subsets:
- addresses: [{ip: 192.168.1.50}]
  ports: [{port: 5432}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata:
  name: db
subsets:
- addresses: [{ip: 192.168.1.50}]
  ports: [{port: 5432}]
`,
	},
	{
		name: "targetPort no container declares", code: CodeTargetPortUndecl, severity: Warning,
		object: "Service/default/web", field: "spec.ports[0].targetPort", line: 9,
		contains: `targetPort 8080 is not a containerPort of Pod "web"`,
		hint:     "declared: http=80/TCP on nginx, 9090/TCP on metrics",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}
  - {name: metrics, image: exporter, ports: [{containerPort: 9090}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 9090
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}
  - {name: metrics, image: exporter, ports: [{containerPort: 9090}]}
`,
	},
	{
		name: "defaulted targetPort no container declares", code: CodeTargetPortUndecl, severity: Warning,
		object: "Service/default/web", field: "spec.ports[0].targetPort", line: 8,
		contains: `targetPort 8080 is not a containerPort of Deployment "web"`,
		hint:     "declared: 80/TCP on nginx",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
`,
	},
	{
		name: "named targetPort the Pods lack", code: CodeNamedPortNotFound, severity: Warning,
		object: "Service/default/web", field: "spec.ports[0].targetPort", line: 9,
		contains: `targetPort "http-alt" names no TCP container port of Pod "web"`,
		hint:     "declared: http=8080/TCP on app",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http-alt
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}
`,
	},
	{
		name: "UDP Service, TCP container port", code: CodeProtocolMismatch, severity: Warning,
		object: "Service/default/dns", field: "spec.ports[0].protocol", line: 9,
		contains: `port spec.ports[0] is UDP, but Pod "dns" declares targetPort 53 with another protocol`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector: {app: dns}
  ports:
  - port: 53
    protocol: UDP
---
apiVersion: v1
kind: Pod
metadata: {name: dns, labels: {app: dns}}
spec:
  containers:
  - {name: coredns, image: coredns, ports: [{containerPort: 53}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector: {app: dns}
  ports:
  - port: 53
    protocol: UDP
---
apiVersion: v1
kind: Pod
metadata: {name: dns, labels: {app: dns}}
spec:
  containers:
  - {name: coredns, image: coredns, ports: [{containerPort: 53, protocol: UDP}]}
`,
	},
	{
		name: "targetport in lower case", code: CodeUnknownField, severity: Error,
		object: "Service/default/web", field: "spec.ports[0].targetport", line: 8,
		contains: `unknown field "spec.ports[0].targetport"`,
		hint:     "did you mean targetPort?",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetport: 8080
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
    targetPort: 8080
`,
	},
	{
		name: "misspelt selector", code: CodeUnknownField, severity: Error,
		object: "Service/default/web", field: "spec.selecter", line: 6,
		contains: `unknown field "spec.selecter"`,
		hint:     "did you mean selector?",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selecter: {app: web}
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
	},
	{
		name: "field written twice", code: CodeUnknownField, severity: Warning,
		object: "Service/default/web", field: "spec.type",
		contains: `duplicate field "spec.type"`,
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  type: ClusterIP
  ports: [{port: 80}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports: [{port: 80}]
`,
	},
	{
		name: "ConfigMap", code: CodeIgnoredKind, severity: Info,
		object: "ConfigMap/default/web", field: "kind", line: 1,
		message: `ConfigMap "web" does not take part in Service networking; ignored`,
		bad: `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
`,
		good: `apiVersion: v1
kind: Namespace
metadata:
  name: web
`,
	},
	{
		name: "Knative Service", code: CodeIgnoredKind, severity: Info,
		object: "Service/default/hello", field: "apiVersion", line: 1,
		message: `Service "hello" is a "serving.knative.dev/v1" Service, not the v1 Service svcviz models; ignored`,
		bad: `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go}]
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  ports: [{port: 80}]
`,
	},
	{
		name: "selector spans two Deployments", code: CodeMultipleWorkloads, severity: Info,
		object: "Service/default/web", field: "spec.selector", line: 6,
		message: "selector app=web selects Pods of 2 workloads: Deployment/web-v1, Deployment/web-v2",
		hint:    "narrow the selector",
		bad: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1}
spec:
  selector: {matchLabels: {app: web, version: v1}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2}
spec:
  selector: {matchLabels: {app: web, version: v2}}
  template:
    metadata: {labels: {app: web, version: v2}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`,
		good: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web, version: v1}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1}
spec:
  selector: {matchLabels: {app: web, version: v1}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2}
spec:
  selector: {matchLabels: {app: web, version: v2}}
  template:
    metadata: {labels: {app: web, version: v2}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`,
	},
}

func TestDiagnostics(t *testing.T) {
	for _, tc := range diagCases {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			c := loadString(t, tc.bad, Options{})
			got := withCode(c.Diagnostics, tc.code)
			if len(got) == 0 {
				t.Fatalf("no %s diagnostic; got:%s", tc.code, dumpDiags(c.Diagnostics))
			}
			if len(got) > 1 {
				t.Errorf("%d %s diagnostics, want 1:%s", len(got), tc.code, dumpDiags(got))
			}
			d := got[0]
			if d.Severity != tc.severity {
				t.Errorf("severity %s, want %s", d.Severity, tc.severity)
			}
			if d.Object != tc.object {
				t.Errorf("object %q, want %q", d.Object, tc.object)
			}
			if d.Field != tc.field {
				t.Errorf("field %q, want %q", d.Field, tc.field)
			}
			if d.File != "test.yaml" {
				t.Errorf("file %q, want test.yaml", d.File)
			}
			if tc.line != 0 && d.Line != tc.line {
				t.Errorf("line %d, want %d (%s)", d.Line, tc.line, d.Message)
			}
			if tc.message != "" && d.Message != tc.message {
				t.Errorf("message\n  %s\nwant\n  %s", d.Message, tc.message)
			}
			if tc.contains != "" && !strings.Contains(d.Message, tc.contains) {
				t.Errorf("message %q does not contain %q", d.Message, tc.contains)
			}
			if tc.hint != "" && !strings.Contains(d.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", d.Hint, tc.hint)
			}
			good := loadString(t, tc.good, Options{})
			if g := withCode(good.Diagnostics, tc.code); len(g) > 0 {
				t.Errorf("the near-identical manifest also gets %s:%s", tc.code, dumpDiags(g))
			}
		})
	}
}

// TestDiagnosticsCoverEveryCode keeps the table honest: every code in diag.go has a case, but
// those netsim reports and skipped-file (a FIFO cannot be written in a table: TestDirectorySkipsFIFO).
func TestDiagnosticsCoverEveryCode(t *testing.T) {
	all := []string{CodeInvalidYAML, CodeInvalidObject, CodeDuplicateObject, CodeInvalidName, CodeInvalidPort,
		CodeInvalidNodePort, CodeNodePortNotAllowed, CodeDuplicatePort, CodeDuplicateNodePort, CodePortNameRequired,
		CodeInvalidPortName, CodeSelectorMismatch, CodeInvalidClusterIP, CodePortsRequired, CodeTrafficPolicy,
		CodeNoMatchingPods, CodeNoSelector, CodeTargetPortUndecl, CodeNamedPortNotFound, CodeProtocolMismatch,
		CodeUnknownField, CodeIgnoredKind, CodeMultipleWorkloads, CodeUnsupportedVersion, CodeInvalidLabel,
		CodeNoReadyEndpoints}
	have := map[string]bool{}
	for _, tc := range diagCases {
		have[tc.code] = true
	}
	for _, code := range all {
		if !have[code] {
			t.Errorf("no test case for %s", code)
		}
	}
}

// TestNoMatchingPodsEscapesHint: labels from the manifest reach the hint escaped.
func TestNoMatchingPodsEscapesHint(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: "web\e[31m"}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: "web\a"}}
spec: {containers: [{name: c, image: x}]}
`, Options{})
	got := withCode(c.Diagnostics, CodeNoMatchingPods)
	if len(got) != 1 {
		t.Fatalf("got:%s", dumpDiags(c.Diagnostics))
	}
	for _, s := range []string{got[0].Message, got[0].Hint} {
		if strings.ContainsAny(s, "\x1b\a") {
			t.Errorf("control character reaches the diagnostic: %q", s)
		}
	}
}
