package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/poolsim/poolsim/experiments"
)

// input is a scenario or experiment file: read from disk, or shipped with
// poolsim and named by its catalog name.
type input struct {
	name    string // the name used in messages: the path, or the catalog name
	data    []byte
	shipped bool
}

// kind of a catalog entry, for messages.
const (
	kindScenario   = "scenario"
	kindExperiment = "experiment"
)

// readInput reads arg as a file, or else as the name of a shipped scenario
// (kind "scenario") or experiment (kind "experiment"), as experiments.Load
// does: a file on disk wins over a shipped name, and only a regular file
// of at most model.MaxFileBytes is read.
func readInput(arg, kind string) (input, error) {
	in, err := experiments.ReadInput(arg, experiments.Kind(kind))
	return input{name: in.Name, data: in.Data, shipped: in.Shipped}, err
}

// checkTOML checks what every scenario and experiment file must be, whatever
// it is (experiments.CheckInput), so that run, sweep, validate and
// experiments.Load report the same problem for the same file, whichever
// kind of file it was meant to be. It returns the data without a leading
// byte-order mark.
func checkTOML(name string, data []byte) ([]byte, error) {
	return experiments.CheckInput(name, data)
}

// parseExperiment parses an experiment read by readInput, as
// experiments.Load does.
func parseExperiment(in input) (*experiments.Experiment, error) {
	return experiments.Input{Name: in.name, Data: in.data, Shipped: in.shipped}.Parse()
}

// looksLikePath reports whether arg can only be a file name, not a
// catalog name.
func looksLikePath(arg string) bool {
	return strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".toml")
}

// atomicFile is an output file written to a temporary file beside its
// destination and renamed into place by commit, so that readers never see
// half a file and a failed run leaves the previous file untouched.
type atomicFile struct {
	*bufio.Writer
	f    *os.File
	path string
}

// createAtomic starts writing path.
func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return &atomicFile{Writer: bufio.NewWriterSize(f, 64<<10), f: f, path: path}, nil
}

// commit finishes the file and moves it into place.
func (a *atomicFile) commit() error {
	err := a.Flush()
	if err == nil {
		err = a.f.Chmod(0o644)
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("cannot write %s: %w", a.path, err)
	}
	return nil
}

// abort discards the file. It is a no-op after commit.
func (a *atomicFile) abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}
