package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
)

// Options say how to read the input.
type Options struct {
	// Namespace is given to objects that name none (kubectl's -n); default "default".
	Namespace string
	// Nodes are the node names Pods are placed on (DaemonSets get one Pod each); default node01.
	// When the input names its own nodes (Node objects, spec.nodeName), the cluster has
	// exactly those, unless NodesGiven (--nodes on the command line) adds these too.
	Nodes      []string
	NodesGiven bool
	// ServiceFamilies are the IP families of the cluster's Service network, the first the
	// default (--service-cidr: one range per family); default IPv4 only.
	ServiceFamilies []corev1.IPFamily
	// Stdin is read for the path "-".
	Stdin io.Reader
	// DropSources lets each Source's Data go once its documents are decoded (Cluster.Sources
	// keep their names), for callers that never show the YAML: the bytes of a 37 MB dump are
	// then not live while the model is resolved and simulated.
	DropSources bool
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
	var skipped []string
	for _, p := range paths {
		got, skip, err := readInput(p, opts.Stdin)
		if err != nil {
			return nil, err
		}
		srcs, skipped = append(srcs, got...), append(skipped, skip...)
	}
	c := LoadSources(srcs, opts)
	for _, p := range skipped {
		msg, hint := W("not a regular file (a FIFO, socket or device): skipped, not read"), W("name it on the command line to read it anyway")
		c.Diagnostics = append(c.Diagnostics, Diagnostic{Severity: Warning, Code: CodeSkippedFile, File: p,
			Message: msg.String(), Hint: hint.String(), MessageWords: msg, HintWords: hint})
	}
	return c, nil
}

// readInput reads one path: "-", a file, or a directory's manifests. It also returns the files
// of a directory it skipped.
func readInput(path string, stdin io.Reader) ([]*Source, []string, error) {
	if path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err := readLimited(stdin)
		if err != nil {
			return nil, nil, &InputError{Path: "<stdin>", Err: err}
		}
		return []*Source{{Name: "<stdin>", Data: data}}, nil, nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, &InputError{Path: path, Err: plainFSError(err)}
	}
	if !info.IsDir() {
		src, err := readFile(path)
		if err != nil {
			return nil, nil, err
		}
		return []*Source{src}, nil, nil
	}
	return readDir(path)
}

// readDir reads the manifests under dir. A FIFO, socket or device found there is skipped, never
// opened: opening a FIFO blocks until a writer comes, and a device may never end.
func readDir(dir string) ([]*Source, []string, error) {
	var out []*Source
	var skipped []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &InputError{Path: p, Err: plainFSError(err)}
		}
		if d.IsDir() || !isManifestName(p) {
			return nil
		}
		if !regularFile(p, d) {
			skipped = append(skipped, p)
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
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, &InputError{Path: dir, Err: errors.New("no .yaml, .yml or .json files in this directory")}
	}
	return out, skipped, nil
}

// regularFile reports whether a directory entry is a regular file, or a link to one (a link to a
// directory under a manifest's name is not followed either).
func regularFile(p string, d fs.DirEntry) bool {
	if d.Type().IsRegular() {
		return true
	}
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	info, err := os.Stat(p)
	return err != nil || info.Mode().IsRegular() // a broken link: let reading it say why
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
	size := 0
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(min(info.Size(), MaxFileSize))
	}
	data, err := readSized(f, size)
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	return &Source{Name: path, Data: data}, nil
}

func readLimited(r io.Reader) ([]byte, error) { return readSized(r, 0) }

// readSized reads at most MaxFileSize bytes; size is what the file says it holds, so that a
// large dump is read into one buffer of its size instead of a doubling one.
func readSized(r io.Reader, size int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(size + bytes.MinRead)
	_, err := buf.ReadFrom(io.LimitReader(r, MaxFileSize+1))
	data := buf.Bytes()
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

// fromUTF16 returns a UTF-16 text with a byte order mark as UTF-8, which is how kubectl reads
// it; any other data is returned as it is. Lines keep their numbers, so that diagnostics and the
// YAML pane agree with the file.
func fromUTF16(data []byte) []byte {
	if len(data) < 2 {
		return data
	}
	var order binary.ByteOrder
	switch {
	case data[0] == 0xFF && data[1] == 0xFE:
		order = binary.LittleEndian
	case data[0] == 0xFE && data[1] == 0xFF:
		order = binary.BigEndian
	default:
		return data
	}
	units := make([]uint16, 0, len(data)/2)
	for i := 2; i+1 < len(data); i += 2 {
		units = append(units, order.Uint16(data[i:]))
	}
	out := make([]byte, 0, len(data))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(data)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError) // a lone last byte
	}
	return out
}

// LoadSources resolves already-read sources into a Cluster. Sources in UTF-16 are turned into
// UTF-8 in place.
func LoadSources(srcs []*Source, opts Options) *Cluster {
	if opts.Namespace == "" {
		opts.Namespace = corev1.NamespaceDefault
	}
	if len(opts.Nodes) == 0 {
		opts.Nodes = []string{"node01"}
	}
	if len(opts.ServiceFamilies) == 0 {
		opts.ServiceFamilies = []corev1.IPFamily{corev1.IPv4Protocol}
	}
	for _, s := range srcs {
		s.Data = fromUTF16(s.Data)
	}
	l := &loader{opts: opts, c: &Cluster{Sources: srcs, Nodes: opts.Nodes}, seen: map[string]bool{}}
	l.decodeAll(srcs)
	if opts.DropSources {
		for _, s := range srcs {
			s.Data = nil
		}
	}
	l.resolve()
	return l.c
}

type loader struct {
	opts             Options
	c                *Cluster
	seen             map[string]bool           // Kind/ns/name already loaded
	workloadsByLabel map[labelPair][]*Workload // built when the first Service is mapped
	refused          []*Pod                    // bare Pods the API server refuses (for hints)
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
	split, n := make([][]chunk, len(srcs)), 0
	for i, s := range srcs {
		split[i] = splitDocuments(s.Data)
		n += len(split[i])
	}
	work := make([]sourceChunk, 0, n) // one list of the whole input's documents, sized once
	for i, s := range srcs {
		for _, ch := range split[i] {
			work = append(work, sourceChunk{s.Name, ch})
		}
		split[i] = nil
	}
	results := make([][]event, len(work))
	decode := func(i int) {
		d := &docDecoder{namespace: l.opts.Namespace}
		d.chunk(work[i].file, work[i].ch)
		results[i] = d.out
	}
	parallelFor(len(work), decode)
	holds := make(map[string]bool, len(srcs))
	for i, evs := range results {
		holds[work[i].file] = holds[work[i].file] || len(evs) > 0
	}
	l.c.Diagnostics = append(l.c.Diagnostics, noObjects(srcs, holds)...)
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

// add files a decoded object under its kind, refusing a second object of the same identity.
func (l *loader) add(meta *Meta, obj any) {
	key := meta.Ref()
	if l.seen[key] {
		l.c.Diagnostics = append(l.c.Diagnostics, meta.diagW(Error, CodeDuplicateObject, "metadata.name",
			W("{0} {1} is defined twice; the first one is used", meta.Kind, quote(meta.Namespace+"/"+meta.Name)),
			W("names are unique per kind and namespace: rename one, or load the files separately")))
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
	//lint:ignore SA1019 people still write v1 Endpoints; svcviz reads them as the EndpointSlice mirroring controller does
	case *corev1.Endpoints:
		if ds := validateEndpoints(meta, o); len(ds) > 0 {
			l.c.Diagnostics = append(l.c.Diagnostics, ds...)
			return // refused: its addresses are nobody's endpoints
		}
		l.c.Endpoints = append(l.c.Endpoints, endpointsFrom(meta, o))
	case *corev1.Node:
		l.c.NodeObjects = append(l.c.NodeObjects, nodeFrom(meta, o))
	case *discoveryv1.EndpointSlice:
		if ds := validateEndpointSlice(meta, o); len(ds) > 0 {
			l.c.Diagnostics = append(l.c.Diagnostics, ds...)
			return // refused: its addresses are nobody's endpoints
		}
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
