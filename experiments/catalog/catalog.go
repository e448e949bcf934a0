// Package catalog holds the scenarios and experiments shipped with poolsim,
// embedded in the binary so that `poolsim run` and `poolsim list` work with
// no files at hand.
//
// Scenarios are the TOML files in scenarios/, experiments those in
// experiments/; an entry's name is its file name without ".toml". The first
// comment line of a file is its one-line description.
package catalog

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Default is the scenario `poolsim run` runs when given none.
const Default = "trend-page"

// Kinds of entries.
const (
	KindScenario   = "scenario"
	KindExperiment = "experiment"
)

//go:embed scenarios/*.toml experiments
var files embed.FS

// Entry is one shipped file.
type Entry struct {
	Name        string
	Kind        string // KindScenario or KindExperiment
	Description string // the file's first comment line
}

// names returns the names of the *.toml files in dir, sorted.
func names(dir string) []string {
	ents, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".toml") {
			out = append(out, strings.TrimSuffix(n, ".toml"))
		}
	}
	sort.Strings(out)
	return out
}

func read(dir, name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil, false
	}
	data, err := files.ReadFile(path.Join(dir, name+".toml"))
	if err != nil {
		return nil, false
	}
	return data, true
}

// Names returns the names of the shipped scenarios, sorted.
func Names() []string { return names("scenarios") }

// ExperimentNames returns the names of the shipped experiments, sorted.
func ExperimentNames() []string { return names("experiments") }

// Scenario returns the shipped scenario called name.
func Scenario(name string) ([]byte, bool) { return read("scenarios", name) }

// Experiment returns the shipped experiment called name.
func Experiment(name string) ([]byte, bool) { return read("experiments", name) }

// Read returns the shipped scenario or, failing that, experiment called
// name, or an error listing what is shipped.
func Read(name string) ([]byte, error) {
	if data, ok := Scenario(name); ok {
		return data, nil
	}
	if data, ok := Experiment(name); ok {
		return data, nil
	}
	all := append(Names(), ExperimentNames()...)
	return nil, fmt.Errorf("no shipped scenario or experiment %q (shipped: %s)", name, strings.Join(all, ", "))
}

// Describe returns the one-line description of the shipped scenario or
// experiment called name: its first comment line, or name itself.
func Describe(name string) string {
	data, err := Read(name)
	if err != nil {
		return name
	}
	return describe(data, name)
}

func describe(data []byte, name string) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") {
			break
		}
		if text := strings.TrimSpace(strings.TrimLeft(line, "#")); text != "" {
			return text
		}
	}
	return name
}

// List returns every shipped entry: the scenarios, then the experiments,
// each sorted by name.
func List() []Entry {
	var out []Entry
	for _, n := range Names() {
		data, _ := Scenario(n)
		out = append(out, Entry{Name: n, Kind: KindScenario, Description: describe(data, n)})
	}
	for _, n := range ExperimentNames() {
		data, _ := Experiment(n)
		out = append(out, Entry{Name: n, Kind: KindExperiment, Description: describe(data, n)})
	}
	return out
}
