package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// OutputFiles are the files a sweep writes into its output directory
// (besides charts/), which --force replaces.
var OutputFiles = [...]string{
	ResultsFile, SummaryFile, CompareFile, PrecisionFile, ExperimentFile, ScenarioFile, JournalFile,
}

// ChartsDir is the subdirectory of an output directory holding the charts.
const ChartsDir = "charts"

// LockFile is the file in an output directory that a sweep or merge holds
// an exclusive lock on (see LockDir).
const LockFile = ".poolsim.lock"

// CheckOutputDir refuses an output directory that a sweep could be tricked
// into writing outside of, or into something other than a file: one of
// OutputFiles, the lock file, charts/ or a chart in it that is a symbolic
// link or not a regular file (a directory). poolsim never follows a link
// inside an output directory; the directory itself may be one.
func CheckOutputDir(dir string) error {
	names := append(OutputFiles[:], LockFile)
	for _, name := range names {
		if err := checkRegular(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	charts := filepath.Join(dir, ChartsDir)
	st, err := os.Lstat(charts)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is %s, not a directory: poolsim does not write through it; remove it", charts, kindOf(st.Mode()))
	}
	ents, err := os.ReadDir(charts)
	if err != nil {
		return err
	}
	for _, ent := range ents {
		if isChart(ent.Name()) {
			if err := checkRegular(filepath.Join(charts, ent.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRegular refuses path when it exists and is not a regular file.
func checkRegular(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is %s, not a regular file: poolsim does not write through it; remove it", path, kindOf(st.Mode()))
	}
	return nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// isChart reports whether name is a chart file of charts/.
func isChart(name string) bool {
	return strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".svg")
}

// EarlierSweep returns the name of a file an earlier sweep left in dir
// (any of OutputFiles, or a chart), or "".
func EarlierSweep(dir string) string {
	for _, name := range OutputFiles {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return name
		}
	}
	ents, _ := os.ReadDir(filepath.Join(dir, ChartsDir))
	for _, ent := range ents {
		if isChart(ent.Name()) {
			return filepath.Join(ChartsDir, ent.Name())
		}
	}
	return ""
}

// RemoveSweep removes the files of an earlier sweep from dir (OutputFiles
// and the charts), after CheckOutputDir; it leaves every other file alone.
func RemoveSweep(dir string) error {
	if err := CheckOutputDir(dir); err != nil {
		return err
	}
	for _, name := range OutputFiles {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return removeCharts(dir)
}

// removeCharts removes the charts in dir/charts/, and no other file.
func removeCharts(dir string) error {
	ents, _ := os.ReadDir(filepath.Join(dir, ChartsDir))
	for _, ent := range ents {
		if isChart(ent.Name()) {
			if err := os.Remove(filepath.Join(dir, ChartsDir, ent.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReplaceSweep moves the sweep written into staging (a directory beside or
// inside dir, on the same file system) into dir, replacing the earlier
// sweep there only now that the new files are complete: each new file is
// renamed over the old one, the old files the new sweep does not have and
// the old charts are removed, and staging is removed.
func ReplaceSweep(staging, dir string) error {
	if err := CheckOutputDir(dir); err != nil {
		return err
	}
	for _, name := range OutputFiles {
		err := os.Rename(filepath.Join(staging, name), filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			err = os.Remove(filepath.Join(dir, name))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := removeCharts(dir); err != nil {
		return err
	}
	return os.RemoveAll(staging)
}

// ClaimOutputDir makes dir if needed, locks it (LockDir) and checks it
// (CheckOutputDir): what a sweep or merge does before it looks at what dir
// holds. The caller unlocks it when done.
func ClaimOutputDir(dir string) (*DirLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	if err := CheckOutputDir(dir); err != nil {
		lock.Unlock()
		return nil, err
	}
	return lock, nil
}
