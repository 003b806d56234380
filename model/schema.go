package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// schemaKind is what a field's JSON may hold.
type schemaKind uint8

const (
	schemaAny         schemaKind = iota // anything (RawExtension, FieldsV1, interface{})
	schemaStruct                        // a mapping of known fields
	schemaMap                           // a mapping of any keys to elem
	schemaSlice                         // a sequence of elem
	schemaString                        // a string (also Time, Duration, []byte as base64)
	schemaInt                           // an integer
	schemaFloat                         // a number
	schemaBool                          // a boolean
	schemaIntOrString                   // intstr.IntOrString
	schemaQuantity                      // resource.Quantity: a string or a number
)

// schema is the shape of a k8s.io/api type as its JSON decoder reads it: field names exactly as
// the json tags spell them (the API server decodes case-sensitively), inline structs flattened.
// It lets the YAML front end check the fields of a whole object, as `kubectl apply`'s strict
// field validation does, while handing the typed decoder only what the simulation uses.
type schema struct {
	kind   schemaKind
	goType string             // the Go type, for messages ("int32", "v1.Probe")
	fields map[string]*sfield // schemaStruct
	elem   *schema            // schemaMap values, schemaSlice items
	typ    reflect.Type       // schemaStruct: for suggestions
}

// sfield is one field of a struct.
type sfield struct {
	name string // the JSON name, shared by every document that writes it
	key  uint32 // name's posKeys id
	t    *schema
	drop bool // the simulation does not use it: checked, not decoded
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[reflect.Type]*schema{}
)

// schemaOf returns the schema of t, built once per type.
func schemaOf(t reflect.Type) *schema {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	return buildSchema(t)
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	special         = map[reflect.Type]schemaKind{
		reflect.TypeFor[metav1.Time]():        schemaString,
		reflect.TypeFor[metav1.MicroTime]():   schemaString,
		reflect.TypeFor[metav1.Duration]():    schemaString,
		reflect.TypeFor[intstr.IntOrString](): schemaIntOrString,
		reflect.TypeFor[resource.Quantity]():  schemaQuantity,
	}
)

func buildSchema(t reflect.Type) *schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := schemaCache[t]; ok {
		return s
	}
	s := &schema{goType: t.String()}
	schemaCache[t] = s // before the fields: types may refer to themselves
	if k, ok := special[t]; ok {
		s.kind = k
		return s
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return s // decodes itself: anything goes
	}
	switch t.Kind() {
	case reflect.Struct:
		s.kind, s.typ, s.fields = schemaStruct, t, map[string]*sfield{}
		addFields(s, t, dropped[t])
	case reflect.Map:
		s.kind, s.elem = schemaMap, buildSchema(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			s.kind = schemaString // []byte is base64
			break
		}
		s.kind, s.elem = schemaSlice, buildSchema(t.Elem())
	case reflect.String:
		s.kind = schemaString
	case reflect.Bool:
		s.kind = schemaBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s.kind = schemaInt
	case reflect.Float32, reflect.Float64:
		s.kind = schemaFloat
	}
	return s
}

// addFields adds t's fields to s, flattening inline and untagged embedded structs as
// encoding/json does.
func addFields(s *schema, t reflect.Type, drop map[string]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		if f.Anonymous && (name == "" || opts == "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(s, ft, drop)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s.fields[name] = &sfield{name: name, key: posKeys.intern(name), t: buildSchema(f.Type), drop: drop[name]}
	}
}

// dropped are the fields, per type, that say nothing about Service networking: a real
// `kubectl get -o yaml` dump is mostly managedFields, annotations (last-applied-configuration),
// env, probes, resources and volumes. They
// are checked against the schema (unknown fields and scalar types) but not decoded.
var dropped = map[reflect.Type]map[string]bool{
	reflect.TypeFor[metav1.ObjectMeta](): {"managedFields": true, "annotations": true},
	reflect.TypeFor[corev1.PodSpec](): {"volumes": true, "affinity": true, "tolerations": true, "securityContext": true,
		"topologySpreadConstraints": true, "imagePullSecrets": true, "dnsConfig": true, "readinessGates": true,
		"resourceClaims": true, "schedulingGates": true, "overhead": true},
	reflect.TypeFor[corev1.Container]():                containerDrop(reflect.TypeFor[corev1.Container]()),
	reflect.TypeFor[corev1.EphemeralContainerCommon](): containerDrop(reflect.TypeFor[corev1.EphemeralContainerCommon]()),
	reflect.TypeFor[appsv1.StatefulSetSpec]():          {"volumeClaimTemplates": true},
}

// containerKeep are the container fields the simulation reads.
var containerKeep = map[string]bool{"name": true, "image": true, "ports": true, "restartPolicy": true}

func containerDrop(t reflect.Type) map[string]bool {
	drop := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && !containerKeep[name] {
			drop[name] = true
		}
	}
	return drop
}

// statusDropped are the kinds whose status is counters, not addresses.
var statusDropped = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true, "ReplicationController": true}

// suggest names the field of s nearest to an unknown one ("targetport" → "targetPort").
func (s *schema) suggest(bad string) string {
	best, bestDist := "", 3
	for name := range s.fields {
		if strings.EqualFold(name, bad) {
			return name
		}
		if d := EditDistance(strings.ToLower(name), strings.ToLower(bad)); d < bestDist || d == bestDist && best != "" && name < best {
			best, bestDist = name, d
		}
	}
	return best
}
