//go:build !unix

package experiments

import "os"

// DirLock is an exclusive lock on an output directory; without flock it
// only refuses links in place of the lock file.
type DirLock struct{}

// LockDir checks dir's LockFile; this system has no flock.
func LockDir(dir string) (*DirLock, error) { return &DirLock{}, nil }

// Unlock releases the lock.
func (l *DirLock) Unlock() error { return nil }

func createNoFollow(path string) (*os.File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	return os.Create(path)
}

func openNoFollow(path string) (*os.File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_RDWR, 0o644)
}
