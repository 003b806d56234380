package tui

import (
	"path/filepath"
	"strings"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// sources are the loaded files the YAML pane shows, each split into lines on first use, tabs
// expanded and control characters escaped (a manifest must not be able to move the cursor or
// ring the bell).
type sources struct {
	files []*model.Source
	split map[string][]string // by file name; nil for a file that is not loaded
}

// newSources keeps the CLI's files, else what the model loaded.
func newSources(srcs []*model.Source, sim *netsim.Sim) *sources {
	if srcs == nil && sim.Cluster != nil {
		srcs = sim.Cluster.Sources
	}
	return &sources{files: srcs, split: map[string][]string{}}
}

// lines is file's lines; false when the file is not loaded.
func (s *sources) lines(file string) ([]string, bool) {
	if ls, ok := s.split[file]; ok {
		return ls, ls != nil
	}
	var lines []string
	if src := s.find(file); src != nil {
		raw := strings.Split(strings.TrimSuffix(string(src.Data), "\n"), "\n")
		lines = make([]string, len(raw))
		for i, l := range raw {
			lines[i] = model.Escape(expandTabs(strings.TrimSuffix(l, "\r")))
		}
	}
	s.split[file] = lines
	return lines, lines != nil
}

func (s *sources) find(file string) *model.Source {
	for _, src := range s.files {
		if src.Name == file {
			return src
		}
	}
	for _, src := range s.files { // a path spelt differently: match the base name
		if file != "" && filepath.Base(src.Name) == filepath.Base(file) {
			return src
		}
	}
	return nil
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			b.WriteString(strings.Repeat(" ", 8-b.Len()%8))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
