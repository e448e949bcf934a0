package golden

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompare: equal content passes; a difference names the file and its
// first differing line; a missing file says -update writes it; -update
// writes the file (and its directory) so that it then compares equal.
func TestCompare(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\nthree\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Compare(path, []byte("one\ntwo\nthree\n"), false); err != nil {
		t.Errorf("equal: %v", err)
	}
	err := Compare(path, []byte("one\n2\nthree\n"), false)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `line 2: got "2", want "two"`) {
		t.Errorf("different: %v", err)
	}
	err = Compare(path, []byte("one\ntwo\nthree\n\n"), false)
	if err == nil || !strings.Contains(err.Error(), "got 5 lines, want 4") {
		t.Errorf("longer: %v", err)
	}
	missing := filepath.Join(dir, "new", "b.golden")
	err = Compare(missing, []byte("x"), false)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "-update writes it") {
		t.Errorf("missing: %v", err)
	}
	if err := Compare(missing, []byte("x"), true); err != nil {
		t.Errorf("update: %v", err)
	}
	if b, err := os.ReadFile(missing); err != nil || string(b) != "x" {
		t.Errorf("update wrote %q, %v", b, err)
	}
}
