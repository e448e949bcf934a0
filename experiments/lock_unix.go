//go:build unix

package experiments

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// DirLock is an exclusive lock on an output directory.
type DirLock struct {
	f    *os.File
	path string
}

// LockDir takes an exclusive lock (flock) on dir's LockFile, for the whole
// of a sweep or merge into dir, so that two never write into one directory.
// When another process holds it, the error names that process's id. The
// lock is released by Unlock, or when the process ends however it ends.
func LockDir(dir string) (*DirLock, error) {
	for {
		l, retry, err := tryLock(dir)
		if !retry {
			return l, err
		}
	}
}

// tryLock locks dir's LockFile once; retry is set when the file was removed
// by its previous holder between being opened and locked here.
func tryLock(dir string) (l *DirLock, retry bool, err error) {
	path := filepath.Join(dir, LockFile)
	if err := checkRegular(path); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			data := make([]byte, 32)
			n, _ := f.ReadAt(data, 0)
			holder := strings.TrimSpace(string(data[:n]))
			if _, perr := strconv.Atoi(holder); perr != nil {
				holder = "unknown"
			}
			return nil, false, fmt.Errorf("%s is in use by another poolsim sweep or merge (process %s): wait for it to finish, or choose another directory with -o", dir, holder)
		}
		return nil, false, fmt.Errorf("cannot lock %s: %w", dir, err)
	}
	held, err1 := f.Stat()
	now, err2 := os.Lstat(path)
	if err1 != nil || err2 != nil || !os.SameFile(held, now) {
		f.Close()
		return nil, true, nil
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &DirLock{f: f, path: path}, false, nil
}

// Unlock removes the lock file and releases the lock (a process that
// opened the file meanwhile sees it gone and tries again).
func (l *DirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	os.Remove(l.path)
	err := l.f.Close()
	l.f = nil
	return err
}

// createNoFollow creates or truncates path for writing, refusing a
// symbolic link in its place.
func createNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o644)
}

// openNoFollow opens path for reading and writing, refusing a symbolic
// link in its place.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|syscall.O_NOFOLLOW, 0o644)
}
