package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// TestStreamedCheckJSON: `check -o json` streamed Service by Service is byte for byte what
// encoding the whole report at once writes, on the samples, the real inputs, an input with no
// Services and no diagnostics, a generated dump, and a file name encoding/json escapes.
func TestStreamedCheckJSON(t *testing.T) {
	inputs := map[string][]*model.Source{
		"empty": {{Name: "e.yaml", Data: []byte("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")}},
		"dump":  {{Name: "d.yaml", Data: dumpgen.Generate(dumpgen.Options{Services: 30})}},
		// a file name with every kind of character encoding/json escapes, in each Service's "file"
		"html":    {{Name: "x<y>&z.yaml", Data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n")}},
		"escaped": {{Name: "a<b>&\"c\\\x01\x7f é\u2028\xff.yaml", Data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: db.example.com\n")}},
	}
	for _, glob := range []string{"../../samples/*.yaml", "../../testdata/real-inputs/*.yaml"} {
		files, _ := filepath.Glob(glob)
		if len(files) == 0 {
			t.Fatalf("no %s", glob)
		}
		for _, f := range files {
			c, err := model.Load([]string{f}, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			inputs[f] = c.Sources
		}
	}
	for name, srcs := range inputs {
		sim := netsim.New(model.LoadSources(srcs, model.Options{}), netsim.DefaultConfig())
		var want, got bytes.Buffer
		if err := writeJSON(&want, buildReport(sim)); err != nil {
			t.Fatal(err)
		}
		sum, err := streamCheckJSON(&got, sim)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streamed JSON differs:\n%s\nwant:\n%s", name, got.Bytes(), want.Bytes())
		}
		if sum != buildReport(sim).Summary {
			t.Errorf("%s: summary %+v", name, sum)
		}
	}
}
