package model

// noObjects reports the files that hold no object at all (empty, or only comments, empty
// documents or an empty List): an error when the whole input holds none, as kubectl apply's
// "error: no objects passed to apply", else a warning naming the file.
func noObjects(srcs []*Source, holds map[string]bool) []Diagnostic {
	sev := Error
	for _, s := range srcs {
		if holds[s.Name] {
			sev = Warning
			break
		}
	}
	msg := W("the file holds no Kubernetes object")
	if sev == Error {
		msg = W("the input holds no Kubernetes object: kubectl apply says {0}", `"error: no objects passed to apply"`)
	}
	hint := W("the file is empty, or holds only comments and empty documents")
	var out []Diagnostic
	for _, s := range srcs {
		if !holds[s.Name] {
			out = append(out, Diagnostic{Severity: sev, Code: CodeNoObjects, File: s.Name, Line: 1, Message: msg.String(),
				Hint: hint.String(), MessageWords: msg, HintWords: hint})
		}
	}
	return out
}
