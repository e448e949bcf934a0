package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
)

// Kind is what an input file is meant to be.
type Kind string

// Kinds of input.
const (
	KindScenario   Kind = "scenario"
	KindExperiment Kind = "experiment"
)

// Input is a scenario or experiment file: read from disk, or shipped with
// poolsim and named by its catalog name.
type Input struct {
	Name    string // the name used in messages: the path, or the catalog name
	Data    []byte
	Shipped bool
}

// Dir is the directory a relative path in the input resolves against: the
// file's, or "" for a shipped one.
func (in Input) Dir() string {
	if in.Shipped {
		return ""
	}
	return filepath.Dir(in.Name)
}

// ReadInput reads arg as a file, or else as the name of a shipped scenario
// or experiment of the kind wanted; a file on disk wins over a shipped
// name. It reads at most one byte more than model.MaxFileBytes, so that a
// device such as /dev/zero or a huge file is refused by the size check
// rather than read whole. The command line and Load resolve inputs
// through it alike.
func ReadInput(arg string, kind Kind) (Input, error) {
	data, err := readLimited(arg)
	if err == nil {
		return Input{Name: arg, Data: data}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Input{}, err
	}
	if looksLikePath(arg) {
		return Input{}, fmt.Errorf("%s: no such file", arg)
	}
	scenario, isScenario := catalog.Scenario(arg)
	experiment, isExperiment := catalog.Experiment(arg)
	switch {
	case kind == KindScenario && isScenario:
		return Input{Name: arg, Data: scenario, Shipped: true}, nil
	case kind == KindExperiment && isExperiment:
		return Input{Name: arg, Data: experiment, Shipped: true}, nil
	case kind == KindScenario && isExperiment:
		return Input{}, fmt.Errorf("%s is a shipped experiment, not a scenario: run it with \"poolsim sweep %s\"", arg, arg)
	case kind == KindExperiment && isScenario:
		return Input{}, fmt.Errorf("%s is a shipped scenario, not an experiment: run it with \"poolsim run %s\"", arg, arg)
	}
	return Input{}, fmt.Errorf("%s: no such file, and no shipped %s of that name (\"poolsim list\" shows them)", arg, kind)
}

// readLimited reads at most model.MaxFileBytes+1 bytes of path.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, model.MaxFileBytes+1))
}

// emptyInput is the message for an input file without a key.
const emptyInput = "empty file: nothing to simulate (a scenario needs at least a [classes.NAME] and a [clients.NAME] table; an experiment names its base scenario with scenario = \"FILE\")"

// CheckTOML checks what every scenario and experiment file must be,
// whatever it is (model.ParseTOML), so that every command and Load report
// the same problem for the same file. It returns the data without a
// leading byte-order mark.
func CheckTOML(name string, data []byte) ([]byte, error) {
	_, _, data, err := model.ParseTOML(name, data, emptyInput)
	return data, err
}

// ParseInput checks and parses an experiment read by ReadInput: a relative
// scenario path is resolved against the file's directory.
func ParseInput(in Input) (*Experiment, error) {
	data, err := CheckTOML(in.Name, in.Data)
	if err != nil {
		return nil, err
	}
	return Parse(in.Name, data, in.Dir())
}

// experimentOnlyKeys are the top-level keys of an experiment file that a
// scenario file does not have.
var experimentOnlyKeys = []string{"scenario", "replications", "confidence", "baseline", "overrides", "variants", "sweep", "chart"}

// IsExperiment reports whether a TOML document is an experiment file: one
// with a top-level key that only experiments have ("scenario", "variants",
// "sweep" …). A document that does not parse is not one.
func IsExperiment(data []byte) bool {
	var top map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&top); err != nil {
		return false
	}
	for _, k := range experimentOnlyKeys {
		if _, ok := top[k]; ok {
			return true
		}
	}
	return false
}
