package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestUnixBacklogQueuesKPlusOne measures the fact behind the presets'
// queue_length = backlog + 1 (php-fpm listen.backlog, gunicorn backlog):
// a unix stream socket listening with backlog K that never accepts takes
// K+1 connections, and the next non-blocking connect fails at once with
// EAGAIN, which nginx logs as "(11: Resource temporarily unavailable)" and
// answers 502 (Linux: sk_acceptq_is_full compares with >). K is capped at
// net.core.somaxconn.
func TestUnixBacklogQueuesKPlusOne(t *testing.T) {
	somax := 4096
	if b, err := os.ReadFile("/proc/sys/net/core/somaxconn"); err == nil {
		somax, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	for _, k := range []int{0, 1, 8, 100} {
		if got, want := acceptedBeforeEAGAIN(t, k), min(k, somax)+1; got != want {
			t.Errorf("listen backlog %d: %d connections queued before EAGAIN, want %d", k, got, want)
		}
	}
}

func acceptedBeforeEAGAIN(t *testing.T, k int) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	l, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(l)
	if err := syscall.Bind(l, &syscall.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(l, k); err != nil {
		t.Fatal(err)
	}
	var conns []int
	defer func() {
		for _, c := range conns {
			syscall.Close(c)
		}
	}()
	for n := 0; n < k+100; n++ {
		c, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		err = syscall.Connect(c, &syscall.SockaddrUnix{Name: path})
		if errors.Is(err, syscall.EAGAIN) {
			return n
		}
		if err != nil {
			t.Fatalf("connect %d: %v", n, err)
		}
	}
	t.Fatalf("backlog %d: no EAGAIN after %d connections", k, k+100)
	return 0
}
