package main

import "github.com/svcviz/svcviz/model"

func escapeLine(s string) string { return model.Escape(s) }
