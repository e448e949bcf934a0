// Package golden compares what a test produced with a file committed under
// testdata (a golden file), or rewrites that file when the test runs with
// -update. Each test package declares its own -update flag and passes its
// value in, so that packages keep their own help text for it.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Compare returns nil when got is the content of the file at path. With
// update set it first writes got there, creating the directory. Otherwise
// the error names the file and the first line that differs, and says how
// to rewrite it.
func Compare(path string, got []byte, update bool) error {
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			return err
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s differs: %s (go test -update rewrites it)", path, FirstDiff(got, want))
	}
	return nil
}

// FirstDiff describes the first line where got and want differ:
// `line 3: got "a", want "b"`, each cut at 120 bytes, or the line counts
// when one is a prefix of the other.
func FirstDiff(got, want []byte) string {
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(gl), len(wl)) {
		if !bytes.Equal(gl[i], wl[i]) {
			return fmt.Sprintf("line %d: got %.120q, want %.120q", i+1, gl[i], wl[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(gl), len(wl))
}
