package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/poolsim/poolsim/experiments"
)

// input is a scenario or experiment file (experiments.Input).
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
// or experiment (experiments.ReadInput).
func readInput(arg string, kind experiments.Kind) (input, error) {
	in, err := experiments.ReadInput(arg, kind)
	return input{name: in.Name, data: in.Data, shipped: in.Shipped}, err
}

// checkTOML checks what every scenario and experiment file must be
// (experiments.CheckInput).
func checkTOML(name string, data []byte) ([]byte, error) {
	return experiments.CheckInput(name, data)
}

// parseExperiment checks and parses an experiment read by readInput, as
// this poolsim's version.
func parseExperiment(in input) (*experiments.Experiment, error) {
	e, err := experiments.Input{Name: in.name, Data: in.data, Shipped: in.shipped}.Parse()
	if err != nil {
		return nil, err
	}
	e.Version = poolsimVersion()
	return e, nil
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

// writeResult writes data, a command's whole result, to the file path,
// atomically, or to stdout when path is "".
func writeResult(stdout io.Writer, path string, data []byte) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	a, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := a.Write(data); err != nil {
		a.abort()
		return err
	}
	return a.commit()
}

// output is a file a run writes (--httperr, --trace, --timeseries): a
// regular file (or a new one) is written atomically through atomicFile;
// standard output ("-"), a character device (/dev/null, a terminal) or a
// pipe is written through, never replaced. A symbolic link is followed to
// the existing file it names; a dangling one, a directory, a socket or a
// block device is refused.
type output struct {
	*bufio.Writer
	name   string
	atomic *atomicFile
	stream *os.File // a device or pipe opened here; nil for stdout
}

// openOutput opens the output named by flag (such as "--trace") at path.
func openOutput(flag, path string, stdout io.Writer) (*output, error) {
	if path == "-" {
		return &output{Writer: bufio.NewWriter(stdout), name: "standard output"}, nil
	}
	target, st, err := resolveOutput(flag, path)
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && st.Mode().IsRegular():
		a, err := createAtomic(target)
		if err != nil {
			return nil, err
		}
		return &output{Writer: a.Writer, name: path, atomic: a}, nil
	case err != nil:
		return nil, err
	case st.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
		}
		return &output{Writer: bufio.NewWriterSize(f, 64<<10), name: path, stream: f}, nil
	case st.IsDir():
		return nil, fmt.Errorf("%s %s is a directory: want a file name", flag, path)
	}
	return nil, fmt.Errorf("%s %s is a socket or block device: want a regular file, a character device, a pipe or - (standard output)", flag, path)
}

// resolveOutput follows a symbolic link at path to the file it names.
func resolveOutput(flag, path string) (string, fs.FileInfo, error) {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return path, st, err
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s %s is a symbolic link to nothing: poolsim follows a link only to an existing file", flag, path)
	}
	st, err = os.Stat(target)
	return target, st, err
}

// commit finishes the output: flushed, and renamed into place when atomic.
func (o *output) commit() error {
	if o.atomic != nil {
		return o.atomic.commit()
	}
	err := o.Flush()
	if o.stream != nil {
		if cerr := o.stream.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", o.name, err)
	}
	return nil
}

// abort discards an atomic output; a stream is closed as it is.
func (o *output) abort() {
	if o.atomic != nil {
		o.atomic.abort()
	} else if o.stream != nil {
		o.stream.Close()
	}
}

// sameOutput is an output or input path with what identifies it: the
// file when it exists, else its absolute path.
type sameOutput struct {
	flag, path, abs string
	st              fs.FileInfo
}

// checkDistinct refuses two outputs on one path, or an output on an input
// (run FILE --httperr FILE would replace the scenario with its log).
func checkDistinct(paths []sameOutput) error {
	for i := range paths {
		p := &paths[i]
		if p.path == "-" {
			p.abs = "-"
			continue
		}
		p.abs, _ = filepath.Abs(p.path)
		p.st, _ = os.Stat(p.path)
	}
	for i, a := range paths {
		for _, b := range paths[:i] {
			if a.st != nil && a.st.Mode()&fs.ModeCharDevice != 0 {
				continue // /dev/null twice loses nothing
			}
			same := a.abs == b.abs
			if a.st != nil && b.st != nil && a.st.Mode().IsRegular() {
				same = same || os.SameFile(a.st, b.st)
			}
			if !same {
				continue
			}
			if b.flag == "" {
				return fmt.Errorf("%s %s is the scenario file: writing it would replace the scenario", a.flag, a.path)
			}
			return fmt.Errorf("%s and %s both write %s: give each output its own file", b.flag, a.flag, a.path)
		}
	}
	return nil
}
