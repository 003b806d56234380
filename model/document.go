package model

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	kjson "sigs.k8s.io/json"

	"github.com/svcviz/svcviz/internal/yamlevents"
)

// event is one outcome of decoding, in document order: a diagnostic, or an object to add.
type event struct {
	diag Diagnostic
	meta *Meta
	obj  any
}

// docDecoder decodes one document into events; it shares nothing, so documents can be
// decoded concurrently.
type docDecoder struct {
	namespace string
	out       []event
	fe        *frontEnd
}

func (d *docDecoder) emit(diag Diagnostic) { d.out = append(d.out, event{diag: diag}) }

func (d *docDecoder) chunk(file string, ch chunk) {
	d.fe = frontEnds.Get().(*frontEnd)
	defer func() { frontEnds.Put(d.fe); d.fe = nil }()
	ok, err := d.fe.record(&ch)
	if err != nil {
		var pe *parseError
		errors.As(err, &pe)
		d.fileDiag(file, pe.line, Error, CodeInvalidYAML, "", pe.msg, yamlHint(pe.msg))
		return
	}
	if ok {
		d.document(file, ch)
	}
}

func yamlHint(msg string) Words {
	if strings.Contains(msg, "found character that cannot start any token") || strings.Contains(msg, "tab") {
		return W("YAML indentation must use spaces, not tabs")
	}
	return Words{}
}

// fileDiagW reports a problem with a file or a document in svcviz's own words.
func (d *docDecoder) fileDiagW(file string, line int, sev Severity, code, field string, msg, hint Words) {
	d.emit(Diagnostic{Severity: sev, Code: code, Field: field, File: file, Line: line, Message: msg.String(), Hint: hint.String(), MessageWords: msg, HintWords: hint})
}

// fileDiag reports a problem with a file or a document (msg the parser's own words, kept as
// they are; hint svcviz's).
func (d *docDecoder) fileDiag(file string, line int, sev Severity, code, field, msg string, hint Words) {
	d.emit(Diagnostic{Severity: sev, Code: code, Field: field, File: file, Line: line, Message: msg, Hint: hint.String(), HintWords: hint})
}

// document handles one parsed document: an object, or a List of them.
func (d *docDecoder) document(file string, ch chunk) {
	fe := d.fe
	root := fe.deref(0)
	if e := &fe.evs[root]; e.kind != yamlevents.MappingStart {
		if e.kind == yamlevents.Scalar {
			if tag, err := tagOf(e); err == nil && tag == "!!null" {
				return
			}
		}
		d.fileDiagW(file, int(e.line), Error, CodeInvalidYAML, "", W("document is not a mapping of fields (a Kubernetes object)"), Words{})
		return
	}
	kind := fe.text(fe.lookup(root, "kind"))
	if items := fe.lookup(root, "items"); strings.HasSuffix(kind, "List") && items >= 0 {
		if fe.evs[items].kind != yamlevents.SequenceStart {
			d.fileDiagW(file, int(fe.evs[items].line), Error, CodeInvalidObject, "items", W("items must be a list of objects"), Words{})
			return
		}
		for j := items + 1; j < fe.evs[items].link; j = fe.next(j) {
			if item := fe.deref(j); fe.evs[item].kind == yamlevents.MappingStart {
				d.object(file, ch, item)
			}
		}
		return
	}
	d.object(file, ch, root)
}

// decoder makes the typed object for a modelled kind, and names the one apiVersion it has.
type decoder struct {
	apiVersion string
	new        func() any
}

// decoders are keyed on kind; the group and version are checked against apiVersion, so that a
// Knative serving.knative.dev/v1 Service is not read as a core Service.
var decoders = map[string]decoder{
	"Pod":                   {"v1", func() any { return &corev1.Pod{} }},
	"Service":               {"v1", func() any { return &corev1.Service{} }},
	"ReplicationController": {"v1", func() any { return &corev1.ReplicationController{} }},
	"Namespace":             {"v1", func() any { return &corev1.Namespace{} }},
	"Node":                  {"v1", func() any { return &corev1.Node{} }},
	"ReplicaSet":            {"apps/v1", func() any { return &appsv1.ReplicaSet{} }},
	"Deployment":            {"apps/v1", func() any { return &appsv1.Deployment{} }},
	"StatefulSet":           {"apps/v1", func() any { return &appsv1.StatefulSet{} }},
	"DaemonSet":             {"apps/v1", func() any { return &appsv1.DaemonSet{} }},
	"EndpointSlice":         {"discovery.k8s.io/v1", func() any { return &discoveryv1.EndpointSlice{} }},
	//lint:ignore SA1019 people still write v1 Endpoints; svcviz reads them as the EndpointSlice mirroring controller does
	"Endpoints": {"v1", func() any { return &corev1.Endpoints{} }},
}

// rootSchemas are the schemas of the modelled kinds' objects, with a workload's status left out.
var rootSchemas sync.Map // kind → *schema

func rootSchema(kind string, dec decoder) *schema {
	if s, ok := rootSchemas.Load(kind); ok {
		return s.(*schema)
	}
	s := schemaOf(reflect.TypeOf(dec.new()))
	if statusDropped[kind] {
		c := *s
		c.fields = make(map[string]*sfield, len(s.fields))
		for k, f := range s.fields {
			c.fields[k] = f
		}
		st := *c.fields["status"]
		st.drop = true
		c.fields["status"] = &st
		s = &c
	}
	rootSchemas.Store(kind, s)
	return s
}

// removedIn says when the API server stopped serving an old apiVersion of a modelled kind.
var removedIn = map[string]string{
	"extensions/v1beta1":       "1.16",
	"apps/v1beta1":             "1.16",
	"apps/v1beta2":             "1.16",
	"discovery.k8s.io/v1beta1": "1.25",
}

// builtinGroup reports API groups the API server serves itself (core, apps, extensions,
// *.k8s.io): a modelled kind in one of them at another version is refused. Other groups are
// custom resources, which may well have a kind named Service.
func builtinGroup(group string) bool {
	return !strings.Contains(group, ".") || (strings.HasSuffix(group, ".k8s.io") && !strings.HasSuffix(group, ".x-k8s.io"))
}

func (d *docDecoder) object(file string, ch chunk, root int32) {
	fe := d.fe
	kind := fe.text(fe.lookup(root, "kind"))
	meta := Meta{Kind: kind, File: file, Doc: ch.index, Line: int(fe.evs[root].line)}
	md := fe.lookup(root, "metadata")
	meta.Name = fe.text(fe.lookup(md, "name"))
	meta.Namespace = fe.text(fe.lookup(md, "namespace"))
	if meta.Namespace == "" && kind != "Namespace" && kind != "Node" {
		meta.Namespace = d.namespace
	}
	dec, known := decoders[kind]
	if kind != "" && !d.apiVersionOK(&meta, root, dec, known) {
		return
	}
	if !known {
		d.ignored(&meta)
		return
	}
	w := &fe.w
	js, pos, err := w.convert(fe, root, rootSchema(kind, dec), len(ch.data))
	if err != nil {
		d.convertError(&meta, err)
		return
	}
	meta.pos = pos
	refused := false
	for _, is := range w.issues {
		d.emit(Diagnostic{Severity: is.sev, Code: is.code, Object: meta.Ref(), Field: is.path, File: file, Line: is.line, Message: is.msg, Hint: is.hint.String(),
			MessageWords: is.msgW, HintWords: is.hint})
		refused = refused || is.notDecoded
	}
	if refused && kind != "Service" {
		return // kubectl refuses the object: it exists nowhere
	}
	// A refused Service is still decoded (its unknown fields dropped), so that check lists
	// it as refused like any other; its error keeps it out of every rule and trace.
	obj := dec.new()
	// The walk has checked every field, so the decoder only needs to be case-sensitive, as the
	// API server's is.
	if err := kjson.UnmarshalCaseSensitivePreserveInts(js, obj); err != nil {
		d.decodeError(&meta, root, js, err)
		return
	}
	d.out = append(d.out, event{meta: &meta, obj: obj})
}

// convertHint explains a document the conversion to JSON refuses.
var convertHint = W("kubectl converts YAML to JSON before it sends an object, and cannot convert this one")

// convertError reports a document the conversion to JSON refuses.
func (d *docDecoder) convertError(meta *Meta, err error) {
	var se *scalarError
	var pe *parseError
	switch {
	case errors.As(err, &se):
		d.emit(Diagnostic{Severity: Error, Code: CodeInvalidObject, Object: meta.Ref(), File: meta.File, Line: int(se.line),
			Message: se.msg, Hint: convertHint.String(), HintWords: convertHint})
	case errors.As(err, &pe):
		d.fileDiag(meta.File, pe.line, Error, CodeInvalidYAML, "", pe.msg, Words{})
	default:
		d.fileDiag(meta.File, meta.Line, Error, CodeInvalidYAML, "", err.Error(), Words{})
	}
}

// apiVersionOK checks apiVersion against the kind, as the API server's REST mapping does, and
// says why when the object is not read: no apiVersion, a version no longer served, or a kind of
// the same name in another API group (a custom resource, ignored).
func (d *docDecoder) apiVersionOK(meta *Meta, root int32, dec decoder, known bool) bool {
	fe := d.fe
	v := fe.lookup(root, "apiVersion")
	apiVersion := fe.text(v)
	line := meta.Line
	if v >= 0 {
		line = int(fe.evs[v].line)
	}
	if apiVersion == "" {
		hint := W("every Kubernetes object needs apiVersion and kind")
		if known {
			hint = W("a {0} is apiVersion: {1}", meta.Kind, dec.apiVersion)
		}
		d.emit(Diagnostic{Severity: Error, Code: CodeInvalidObject, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
			Message: "object has no apiVersion", Hint: hint.String(), HintWords: hint})
		return false
	}
	if !known || apiVersion == dec.apiVersion {
		return true
	}
	group := ""
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		group = apiVersion[:i]
	}
	if !builtinGroup(group) {
		msg := W("{0} {1} is a {2} {0}, not the {3} {0} svcviz models; ignored", meta.Kind, quote(meta.Name), quote(apiVersion), dec.apiVersion)
		d.emit(Diagnostic{Severity: Info, Code: CodeIgnoredKind, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
			Message: msg.String(), MessageWords: msg})
		return false
	}
	hint := W("a {0} is apiVersion: {1}", meta.Kind, dec.apiVersion)
	if v, ok := removedIn[apiVersion]; ok {
		hint = W("the API server stopped serving {0} in Kubernetes {1}; change apiVersion to {2}", apiVersion, v, dec.apiVersion)
	}
	d.emit(Diagnostic{Severity: Error, Code: CodeUnsupportedVersion, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
		Message: "no matches for kind " + strconv.Quote(meta.Kind) + " in version " + strconv.Quote(apiVersion), Hint: hint.String(), HintWords: hint})
	return false
}

func (d *docDecoder) ignored(meta *Meta) {
	if meta.Kind == "" {
		d.fileDiag(meta.File, meta.Line, Error, CodeInvalidObject, "kind", "object has no kind", W("every Kubernetes object needs apiVersion and kind"))
		return
	}
	msg := W("{0} {1} does not take part in Service networking; ignored", meta.Kind, quote(meta.Name))
	d.emit(Diagnostic{Severity: Info, Code: CodeIgnoredKind, Object: meta.Ref(), Field: "kind", File: meta.File, Line: meta.Line,
		Message: msg.String(), MessageWords: msg})
}

// decodeError reports a field of the wrong type (e.g. a string where a number belongs).
func (d *docDecoder) decodeError(meta *Meta, root int32, js []byte, err error) {
	var te *kjsonTypeError
	msg := err.Error()
	fieldPath := ""
	hint := W("the field has the wrong type; quote strings and write numbers bare")
	if errors.As(err, &te) {
		fieldPath = te.Field
		if p := jsonPathAt(js, te.Offset); p != "" {
			fieldPath = p // with list indices, so that the line is the field's own
		}
		msg = fmt.Sprintf("%s: cannot use %s as %s", fieldPath, te.Value, te.Type.String())
		if te.Type.Kind() == reflect.String && (te.Value == "bool" || te.Value == "number") {
			if i := d.fe.at(root, fieldPath); i >= 0 && d.fe.evs[i].kind == yamlevents.Scalar {
				e := &d.fe.evs[i]
				value := string(e.value)
				if b, ok := yaml11Bool(value); ok && e.tag == "" && e.style == yamlevents.Plain {
					msg += ": kubectl reads YAML 1.1, where the unquoted " + value + " is the boolean " + strconv.FormatBool(b)
				}
				hint = W("quote it: {0}", quoteHint(fieldPath, value))
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "json: ")
	}
	d.emit(meta.diagH(Error, CodeInvalidObject, fieldPath, msg, hint))
}

// quoteHint writes the field as it should be written: `canary: "yes"`.
func quoteHint(fieldPath, value string) string {
	segs := splitPath(fieldPath)
	q := strconv.Quote(value)
	if len(segs) == 0 || strings.HasPrefix(segs[len(segs)-1], "[") {
		return Escape(q)
	}
	return Escape(segs[len(segs)-1]) + ": " + Escape(q)
}
