package main

import (
	"os"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
)

// TestReadmeDocumentsEveryMetric checks the rule "the metrics contract in
// the README matches the output": every metric that `poolsim run --json`
// prints is named, in backquotes, in the README's "Outputs and metrics"
// section.
func TestReadmeDocumentsEveryMetric(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "## Outputs and metrics")
	if start < 0 {
		t.Fatal(`README has no "## Outputs and metrics" section`)
	}
	section := text[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	for _, name := range model.MetricNames() {
		if !strings.Contains(section, "`"+name+"`") {
			t.Errorf("metric %s is not documented in the README's metrics table", name)
		}
	}
}
