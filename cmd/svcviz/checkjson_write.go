package main

import (
	"encoding/json"
	"strconv"
)

// appendServiceJSON writes one Service of `check -o json`'s report as json.Encoder with
// SetIndent("    ", "  ") writes it, byte for byte (TestStreamedCheckJSON holds it to that),
// without the encoder's reflection and its second, re-indenting pass over the bytes: on a
// dump every Pod behind a Service is an endpoint, and the endpoints are most of the output.
func appendServiceJSON(b []byte, s *serviceJSON) []byte {
	const d = 1 // the depth of the Service's fields
	b = append(b, '{')
	b = appendKey(b, d, true, "namespace")
	b = appendJSONString(b, s.Namespace)
	b = appendKey(b, d, false, "name")
	b = appendJSONString(b, s.Name)
	b = appendKey(b, d, false, "type")
	b = appendJSONString(b, s.Type)
	b = appendKey(b, d, false, "valid")
	b = strconv.AppendBool(b, s.Valid)
	b = appendKey(b, d, false, "clusterIP")
	b = appendJSONString(b, s.ClusterIP)
	if len(s.ClusterIPs) > 0 {
		b = appendKey(b, d, false, "clusterIPs")
		b = appendStrings(b, d, s.ClusterIPs)
	}
	if s.ExternalName != "" {
		b = appendKey(b, d, false, "externalName")
		b = appendJSONString(b, s.ExternalName)
	}
	if len(s.LBIPs) > 0 {
		b = appendKey(b, d, false, "loadBalancerIPs")
		b = appendStrings(b, d, s.LBIPs)
	}
	b = appendKey(b, d, false, "file")
	b = appendJSONString(b, s.File)
	b = appendKey(b, d, false, "line")
	b = strconv.AppendInt(b, int64(s.Line), 10)
	b = appendKey(b, d, false, "ports")
	b = appendArray(b, d, len(s.Ports), func(b []byte, i int) []byte { return appendPortJSON(b, d+2, &s.Ports[i]) })
	b = appendNewline(b, d-1)
	return append(b, '}')
}

// appendArray writes an array of n objects, as encoding/json indents them when their key stands
// at depth d: each element on its own line at depth d+1 (elem writes element i, whose fields
// stand at d+2), "[]" when empty.
func appendArray(b []byte, d, n int, elem func(b []byte, i int) []byte) []byte {
	if n == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNewline(b, d+1)
		b = elem(b, i)
	}
	b = appendNewline(b, d)
	return append(b, ']')
}

// appendPortJSON writes a port object whose fields stand at depth d.
func appendPortJSON(b []byte, d int, p *portJSON) []byte {
	b = append(b, '{')
	b = appendKey(b, d, true, "name")
	b = appendJSONString(b, p.Name)
	b = appendKey(b, d, false, "protocol")
	b = appendJSONString(b, p.Protocol)
	b = appendKey(b, d, false, "port")
	b = strconv.AppendInt(b, int64(p.Port), 10)
	b = appendKey(b, d, false, "targetPort")
	b = appendJSONString(b, p.TargetPort)
	if p.NodePort != 0 {
		b = appendKey(b, d, false, "nodePort")
		b = strconv.AppendInt(b, int64(p.NodePort), 10)
	}
	b = appendKey(b, d, false, "endpoints")
	b = appendArray(b, d, len(p.Endpoints), func(b []byte, i int) []byte { return appendEndpointJSON(b, d+2, &p.Endpoints[i]) })
	b = appendNewline(b, d-1)
	return append(b, '}')
}

// appendEndpointJSON writes an endpoint object whose fields stand at depth d.
func appendEndpointJSON(b []byte, d int, e *endpointJSON) []byte {
	b = append(b, '{')
	b = appendKey(b, d, true, "pod")
	b = appendJSONString(b, e.Pod)
	if e.Namespace != "" {
		b = appendKey(b, d, false, "namespace")
		b = appendJSONString(b, e.Namespace)
	}
	if e.Owner != "" {
		b = appendKey(b, d, false, "owner")
		b = appendJSONString(b, e.Owner)
	}
	b = appendKey(b, d, false, "ip")
	b = appendJSONString(b, e.IP)
	b = appendKey(b, d, false, "port")
	b = strconv.AppendInt(b, int64(e.Port), 10)
	b = appendKey(b, d, false, "node")
	b = appendJSONString(b, e.Node)
	if e.Container != "" {
		b = appendKey(b, d, false, "container")
		b = appendJSONString(b, e.Container)
	}
	b = appendNewline(b, d-1)
	return append(b, '}')
}

// appendStrings writes a list of strings whose elements stand at depth d+1.
func appendStrings(b []byte, d int, list []string) []byte {
	return appendArray(b, d, len(list), func(b []byte, i int) []byte { return appendJSONString(b, list[i]) })
}

// appendKey starts a field at depth d: the comma after the field before, a new line, the key.
func appendKey(b []byte, d int, first bool, key string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendNewline(b, d)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

// appendNewline starts a line at depth d: the item prefix "    " and d indents of "  ".
func appendNewline(b []byte, d int) []byte {
	b = append(b, "\n    "...)
	for range d {
		b = append(b, "  "...)
	}
	return b
}

// appendJSONString quotes s as encoding/json does: printable ASCII without a character it
// escapes is written as it is, anything else (quotes, backslashes, <, >, &, control
// characters, non-ASCII and invalid UTF-8) goes through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
