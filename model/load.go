package model

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	kjson "sigs.k8s.io/json"
)

// Options say how to read the input.
type Options struct {
	// Namespace is given to objects that name none (kubectl's -n); default "default".
	Namespace string
	// Nodes are the node names Pods are placed on (DaemonSets get one Pod each); default node01.
	Nodes []string
	// Stdin is read for the path "-".
	Stdin io.Reader
}

// MaxFileSize bounds what one input may hold; larger inputs are refused with an error instead
// of exhausting memory.
const MaxFileSize = 64 << 20

// InputError is a file that cannot be read at all (exit code 2), as opposed to a file whose
// content has problems (diagnostics).
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Load reads files, directories (recursively: *.yaml, *.yml, *.json) and "-" (stdin), and
// resolves them into a Cluster.
func Load(paths []string, opts Options) (*Cluster, error) {
	var srcs []*Source
	for _, p := range paths {
		got, err := readInput(p, opts.Stdin)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, got...)
	}
	return LoadSources(srcs, opts), nil
}

func readInput(path string, stdin io.Reader) ([]*Source, error) {
	if path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err := readLimited(stdin)
		if err != nil {
			return nil, &InputError{Path: "<stdin>", Err: err}
		}
		return []*Source{{Name: "<stdin>", Data: data}}, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: plainFSError(err)}
	}
	if !info.IsDir() {
		src, err := readFile(path)
		if err != nil {
			return nil, err
		}
		return []*Source{src}, nil
	}
	return readDir(path)
}

func readDir(dir string) ([]*Source, error) {
	var out []*Source
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &InputError{Path: p, Err: plainFSError(err)}
		}
		if d.IsDir() || !isManifestName(p) {
			return nil
		}
		src, err := readFile(p)
		if err != nil {
			return err
		}
		out = append(out, src)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &InputError{Path: dir, Err: errors.New("no .yaml, .yml or .json files in this directory")}
	}
	return out, nil
}

func isManifestName(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func readFile(path string) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: plainFSError(err)}
	}
	defer f.Close()
	data, err := readLimited(f)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	return &Source{Name: path, Data: data}, nil
}

func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, plainFSError(err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MB; svcviz reads at most that much from one input", MaxFileSize>>20)
	}
	return data, nil
}

// plainFSError drops the path that os errors repeat, since InputError names it already.
func plainFSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// LoadSources resolves already-read sources into a Cluster.
func LoadSources(srcs []*Source, opts Options) *Cluster {
	if opts.Namespace == "" {
		opts.Namespace = corev1.NamespaceDefault
	}
	if len(opts.Nodes) == 0 {
		opts.Nodes = []string{"node01"}
	}
	l := &loader{opts: opts, c: &Cluster{Sources: srcs, Nodes: opts.Nodes}, seen: map[string]bool{}}
	l.decodeAll(srcs)
	l.resolve()
	return l.c
}

type loader struct {
	opts             Options
	c                *Cluster
	seen             map[string]bool           // Kind/ns/name already loaded
	workloadsByLabel map[labelPair][]*Workload // built when the first Service is mapped
}

// sourceChunk is one document of one file, decoded on its own.
type sourceChunk struct {
	file string
	ch   chunk
}

// decodeAll decodes every document of every source. Documents are independent, so large
// inputs are decoded on all cores; the results are then applied in input order, so the
// outcome (Pod order, addresses, which duplicate wins) is the same as decoding one by one.
func (l *loader) decodeAll(srcs []*Source) {
	var work []sourceChunk
	for _, s := range srcs {
		for _, ch := range splitDocuments(s.Data) {
			work = append(work, sourceChunk{s.Name, ch})
		}
	}
	results := make([][]event, len(work))
	decode := func(i int) {
		d := &docDecoder{namespace: l.opts.Namespace}
		d.chunk(work[i].file, work[i].ch)
		results[i] = d.out
	}
	parallelFor(len(work), decode)
	for _, evs := range results {
		for _, e := range evs {
			if e.meta == nil {
				l.c.Diagnostics = append(l.c.Diagnostics, e.diag)
				continue
			}
			l.add(e.meta, e.obj)
		}
	}
}

// parallelFor runs f(0..n-1) on all cores when n is large enough to pay for the goroutines.
func parallelFor(n int, f func(int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 64 || workers < 2 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}

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
}

func (d *docDecoder) emit(diag Diagnostic) { d.out = append(d.out, event{diag: diag}) }

func (d *docDecoder) chunk(file string, ch chunk) {
	root, line, err := parseChunk(ch)
	if err != nil {
		d.fileDiag(file, line, Error, CodeInvalidYAML, "", err.Error(), yamlHint(err.Error()))
		return
	}
	if root != nil {
		d.document(file, ch, root)
	}
}

func yamlHint(msg string) string {
	if strings.Contains(msg, "found character that cannot start any token") || strings.Contains(msg, "tab") {
		return "YAML indentation must use spaces, not tabs"
	}
	return ""
}

func (d *docDecoder) fileDiag(file string, line int, sev Severity, code, field, msg, hint string) {
	d.emit(Diagnostic{Severity: sev, Code: code, Field: field, File: file, Line: line, Message: msg, Hint: hint})
}

// document handles one parsed document: an object, or a List of them.
func (d *docDecoder) document(file string, ch chunk, root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			return
		}
		d.fileDiag(file, ch.fileLine(root.Line), Error, CodeInvalidYAML, "", "document is not a mapping of fields (a Kubernetes object)", "")
		return
	}
	kind := topScalar(root, "kind")
	if strings.HasSuffix(kind, "List") && mapValue(root, "items") != nil {
		items := mapValue(root, "items")
		if items.Kind != yaml.SequenceNode {
			d.fileDiag(file, ch.fileLine(items.Line), Error, CodeInvalidObject, "items", "items must be a list of objects", "")
			return
		}
		for _, item := range items.Content {
			if item.Kind == yaml.MappingNode {
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
	"Endpoints":             {"v1", func() any { return &corev1.Endpoints{} }},
	"ReplicaSet":            {"apps/v1", func() any { return &appsv1.ReplicaSet{} }},
	"Deployment":            {"apps/v1", func() any { return &appsv1.Deployment{} }},
	"StatefulSet":           {"apps/v1", func() any { return &appsv1.StatefulSet{} }},
	"DaemonSet":             {"apps/v1", func() any { return &appsv1.DaemonSet{} }},
	"EndpointSlice":         {"discovery.k8s.io/v1", func() any { return &discoveryv1.EndpointSlice{} }},
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

func (d *docDecoder) object(file string, ch chunk, root *yaml.Node) {
	kind := topScalar(root, "kind")
	meta := Meta{Kind: kind, File: file, Doc: ch.index, Line: ch.fileLine(root.Line)}
	md := mapValue(root, "metadata")
	meta.Name = topScalar(md, "name")
	meta.Namespace = topScalar(md, "namespace")
	if meta.Namespace == "" && kind != "Namespace" {
		meta.Namespace = d.namespace
	}
	dec, known := decoders[kind]
	if kind != "" && !d.apiVersionOK(&meta, &ch, root, dec, known) {
		return
	}
	if !known {
		d.ignored(&meta)
		return
	}
	js, pos, dup, err := toJSON(root, &ch, kind)
	if err != nil {
		var se *scalarError
		if errors.As(err, &se) {
			d.emit(Diagnostic{Severity: Error, Code: CodeInvalidObject, Object: meta.Ref(), File: file, Line: int(se.line),
				Message: se.msg, Hint: "kubectl converts YAML to JSON before it sends an object, and cannot convert this one"})
			return
		}
		d.fileDiag(file, meta.Line, Error, CodeInvalidYAML, "", err.Error(), "")
		return
	}
	meta.pos = pos
	obj := dec.new()
	// Looking for duplicate fields costs a map per object; the conversion has found any.
	opts := []kjson.StrictOption{kjson.DisallowUnknownFields}
	if dup {
		opts = append(opts, kjson.DisallowDuplicateFields)
	}
	strict, err := kjson.UnmarshalStrict(js, obj, opts...)
	if err != nil {
		d.decodeError(&meta, root, js, err)
		return
	}
	d.strictErrors(&meta, obj, strict)
	d.out = append(d.out, event{meta: &meta, obj: obj})
}

// apiVersionOK checks apiVersion against the kind, as the API server's REST mapping does, and
// says why when the object is not read: no apiVersion, a version no longer served, or a kind of
// the same name in another API group (a custom resource, ignored).
func (d *docDecoder) apiVersionOK(meta *Meta, ch *chunk, root *yaml.Node, dec decoder, known bool) bool {
	apiVersion := topScalar(root, "apiVersion")
	line := meta.Line
	if v := mapValue(root, "apiVersion"); v != nil {
		line = ch.fileLine(v.Line)
	}
	if apiVersion == "" {
		hint := "every Kubernetes object needs apiVersion and kind"
		if known {
			hint = "a " + meta.Kind + " is apiVersion: " + dec.apiVersion
		}
		d.emit(Diagnostic{Severity: Error, Code: CodeInvalidObject, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
			Message: "object has no apiVersion", Hint: hint})
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
		d.emit(Diagnostic{Severity: Info, Code: CodeIgnoredKind, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
			Message: meta.Kind + " " + quote(meta.Name) + " is a " + quote(apiVersion) + " " + meta.Kind + ", not the " + dec.apiVersion + " " + meta.Kind + " svcviz models; ignored"})
		return false
	}
	hint := "a " + meta.Kind + " is apiVersion: " + dec.apiVersion
	if v, ok := removedIn[apiVersion]; ok {
		hint = "the API server stopped serving " + apiVersion + " in Kubernetes " + v + "; change apiVersion to " + dec.apiVersion
	}
	d.emit(Diagnostic{Severity: Error, Code: CodeUnsupportedVersion, Object: meta.Ref(), Field: "apiVersion", File: meta.File, Line: line,
		Message: "no matches for kind " + strconv.Quote(meta.Kind) + " in version " + strconv.Quote(apiVersion), Hint: hint})
	return false
}

func (d *docDecoder) ignored(meta *Meta) {
	if meta.Kind == "" {
		d.fileDiag(meta.File, meta.Line, Error, CodeInvalidObject, "kind", "object has no kind", "every Kubernetes object needs apiVersion and kind")
		return
	}
	d.emit(Diagnostic{Severity: Info, Code: CodeIgnoredKind, Object: meta.Ref(), Field: "kind", File: meta.File, Line: meta.Line,
		Message: meta.Kind + " " + quote(meta.Name) + " does not take part in Service networking; ignored"})
}

// decodeError reports a field of the wrong type (e.g. a string where a number belongs).
func (d *docDecoder) decodeError(meta *Meta, root *yaml.Node, js []byte, err error) {
	var te *kjsonTypeError
	msg := err.Error()
	fieldPath := ""
	hint := "the field has the wrong type; quote strings and write numbers bare"
	if errors.As(err, &te) {
		fieldPath = te.Field
		if p := jsonPathAt(js, te.Offset); p != "" {
			fieldPath = p // with list indices, so that the line is the field's own
		}
		msg = fmt.Sprintf("%s: cannot use %s as %s", fieldPath, te.Value, te.Type.String())
		if te.Type.Kind() == reflect.String && (te.Value == "bool" || te.Value == "number") {
			if n := yamlAt(root, fieldPath); n != nil && n.Kind == yaml.ScalarNode {
				if _, ok := yaml11Bool(n.Value); ok && n.Tag == "!!str" {
					msg += ": kubectl reads YAML 1.1, where the unquoted " + n.Value + " is the boolean " + strconv.FormatBool(yaml11BoolValue(n.Value))
				}
				hint = "quote it: " + quoteHint(fieldPath, n.Value)
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "json: ")
	}
	d.emit(meta.diag(Error, CodeInvalidObject, fieldPath, msg, hint))
}

func yaml11BoolValue(s string) bool { b, _ := yaml11Bool(s); return b }

// quoteHint writes the field as it should be written: `canary: "yes"`.
func quoteHint(fieldPath, value string) string {
	segs := splitPath(fieldPath)
	q := strconv.Quote(value)
	if len(segs) == 0 || strings.HasPrefix(segs[len(segs)-1], "[") {
		return Escape(q)
	}
	return Escape(segs[len(segs)-1]) + ": " + Escape(q)
}

// yamlAt finds the node a field path ("metadata.labels.canary", "spec.ports[0].name") names in a
// parsed document, following aliases and merge keys; nil when it is not written as such.
func yamlAt(n *yaml.Node, path string) *yaml.Node {
	for _, seg := range splitPath(path) {
		n = yamlChild(n, seg, 0)
		if n == nil {
			return nil
		}
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func yamlChild(n *yaml.Node, seg string, depth int) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || depth > 8 {
		return nil
	}
	switch n.Kind {
	case yaml.SequenceNode:
		if len(seg) > 2 && seg[0] == '[' {
			if i, ok := atoiSafe(seg[1 : len(seg)-1]); ok && i < len(n.Content) {
				return n.Content[i]
			}
		}
	case yaml.MappingNode:
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Tag == "!!merge" {
				merges = append(merges, n.Content[i+1])
				continue
			}
			if key, err := jsonKey(k); err == nil && key == seg {
				return n.Content[i+1]
			}
		}
		for _, m := range merges {
			if m.Kind == yaml.AliasNode {
				m = m.Alias
			}
			if m != nil && m.Kind == yaml.SequenceNode {
				for _, item := range m.Content {
					if got := yamlChild(item, seg, depth+1); got != nil {
						return got
					}
				}
				continue
			}
			if got := yamlChild(m, seg, depth+1); got != nil {
				return got
			}
		}
	}
	return nil
}

func (d *docDecoder) strictErrors(meta *Meta, obj any, errs []error) {
	for _, e := range errs {
		fe, ok := e.(interface{ FieldPath() string })
		if !ok {
			continue
		}
		path := fe.FieldPath()
		if strings.HasPrefix(e.Error(), "duplicate field") {
			d.emit(meta.diag(Warning, CodeUnknownField, path,
				"duplicate field "+quote(path)+": the last value wins", "remove one of the two"))
			continue
		}
		hint := ""
		if s := suggestField(obj, path); s != "" {
			hint = "did you mean " + s + "?"
		}
		d.emit(meta.diag(Warning, CodeUnknownField, path,
			"unknown field "+quote(path)+" (the API server drops it, or refuses it with --validate=strict)", hint))
	}
}

// add files a decoded object under its kind, refusing a second object of the same identity.
func (l *loader) add(meta *Meta, obj any) {
	key := meta.Ref()
	if l.seen[key] {
		l.c.Diagnostics = append(l.c.Diagnostics, meta.diag(Error, CodeDuplicateObject, "metadata.name",
			meta.Kind+" "+quote(meta.Namespace+"/"+meta.Name)+" is defined twice; the first one is used",
			"names are unique per kind and namespace: rename one, or load the files separately"))
		return
	}
	l.seen[key] = true
	switch o := obj.(type) {
	case *corev1.Service:
		l.c.Services = append(l.c.Services, &Service{Meta: *meta, Obj: o})
	case *corev1.Pod:
		l.c.Pods = append(l.c.Pods, &Pod{Meta: *meta, Obj: o})
	case *corev1.Namespace:
		l.c.Namespaces = append(l.c.Namespaces, meta.Name)
	case *corev1.Endpoints:
		l.c.Endpoints = append(l.c.Endpoints, endpointsFrom(meta, o))
	case *discoveryv1.EndpointSlice:
		l.c.Endpoints = append(l.c.Endpoints, endpointSliceFrom(meta, o))
	default:
		if w := workloadFrom(meta, obj); w != nil {
			l.c.Workloads = append(l.c.Workloads, w)
			// Placeholder in pod order: expanded Pods take the workload's place in file order.
			l.c.Pods = append(l.c.Pods, &Pod{Meta: *meta, Owner: w})
		}
	}
}

func quote(s string) string { return "\"" + Escape(s) + "\"" }

// sortedKeys returns a map's keys in order, for stable output.
func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
