package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestScripts runs the command-line transcripts in testdata/script. Each is
// a txtar archive: a script, then the files it uses ("-- name --" headers),
// which are written into a fresh directory that the script runs in.
//
// Script lines (a line starting with # is a comment):
//
//	poolsim ARGS...        run poolsim; it must exit 0
//	! poolsim ARGS...      run poolsim; it must exit non-zero
//	status N               the last poolsim exited with N
//	stdout RE, stderr RE   the last output matches the regexp (multi-line mode)
//	! stdout RE, ...       it does not
//	golden stdout NAME     the last stdout equals testdata/golden/NAME
//	                       (go test -update rewrites it)
//	exists FILE...         the files exist (! exists: they do not)
//	grep RE FILE           the file's content matches the regexp
//	cmpfiles A B           two files are byte-identical
//	cp A B                 copy file A to B
//
// Arguments are split at spaces; single quotes keep spaces in one argument.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/script/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/script")
	}
	golden, err := filepath.Abs("testdata/golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			script, archive := parseTxtar(string(data))
			dir := t.TempDir()
			for _, f := range archive {
				p := filepath.Join(dir, filepath.FromSlash(f.name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(f.data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			s := &scriptState{t: t, file: file, golden: golden}
			for i, line := range strings.Split(script, "\n") {
				s.line = i + 1
				s.exec(line)
			}
		})
	}
}

type txtarFile struct{ name, data string }

// parseTxtar splits a txtar archive into its comment (the script) and files.
func parseTxtar(s string) (string, []txtarFile) {
	var files []txtarFile
	var script strings.Builder
	cur := -1
	for _, line := range strings.SplitAfter(s, "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			files = append(files, txtarFile{name: strings.TrimSpace(trimmed[3 : len(trimmed)-3])})
			cur = len(files) - 1
			continue
		}
		if cur < 0 {
			script.WriteString(line)
		} else {
			files[cur].data += line
		}
	}
	return script.String(), files
}

type scriptState struct {
	t              *testing.T
	file           string
	line           int
	golden         string
	ran            bool
	status         int
	stdout, stderr string
}

func (s *scriptState) fatalf(format string, a ...any) {
	s.t.Helper()
	s.t.Fatalf("%s:%d: %s", s.file, s.line, fmt.Sprintf(format, a...))
}

func (s *scriptState) exec(line string) {
	s.t.Helper()
	if strings.HasPrefix(strings.TrimSpace(line), "#") {
		return
	}
	args := splitArgs(line)
	if len(args) == 0 {
		return
	}
	neg := false
	if args[0] == "!" {
		neg = true
		args = args[1:]
		if len(args) == 0 {
			s.fatalf("! needs a command")
		}
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "poolsim":
		var stdout, stderr bytes.Buffer
		s.status = run(args, &stdout, &stderr)
		s.stdout, s.stderr, s.ran = stdout.String(), stderr.String(), true
		if neg && s.status == 0 {
			s.fatalf("poolsim %s: exit 0, want failure\nstdout:\n%s", strings.Join(args, " "), s.stdout)
		}
		if !neg && s.status != 0 {
			s.fatalf("poolsim %s: exit %d, want 0\nstderr:\n%s", strings.Join(args, " "), s.status, s.stderr)
		}
	case "status":
		s.needRun()
		want, err := strconv.Atoi(s.arg(args, 0))
		if err != nil {
			s.fatalf("status: %v", err)
		}
		if s.status != want {
			s.fatalf("exit status %d, want %d\nstderr:\n%s", s.status, want, s.stderr)
		}
	case "stdout", "stderr":
		s.needRun()
		text := s.stdout
		if cmd == "stderr" {
			text = s.stderr
		}
		re := s.regexp(s.arg(args, 0))
		if re.MatchString(text) == neg {
			s.fatalf("%s matches %q: %v, want %v\n%s:\n%s", cmd, args[0], !neg, neg, cmd, text)
		}
	case "golden":
		s.needRun()
		if s.arg(args, 0) != "stdout" {
			s.fatalf("golden compares stdout only")
		}
		if err := golden.Compare(filepath.Join(s.golden, s.arg(args, 1)), []byte(s.stdout), *update); err != nil {
			s.fatalf("stdout: %v\ngot:\n%s", err, s.stdout)
		}
	case "exists":
		if len(args) == 0 {
			s.fatalf("exists needs files")
		}
		for _, f := range args {
			_, err := os.Stat(f)
			if (err == nil) == neg {
				s.fatalf("%s exists: %v, want %v", f, err == nil, !neg)
			}
		}
	case "grep":
		data, err := os.ReadFile(s.arg(args, 1))
		if err != nil {
			s.fatalf("%v", err)
		}
		if s.regexp(args[0]).Match(data) == neg {
			s.fatalf("%s matches %q: %v, want %v", args[1], args[0], !neg, neg)
		}
	case "cp":
		data, err := os.ReadFile(s.arg(args, 0))
		if err == nil {
			err = os.WriteFile(s.arg(args, 1), data, 0o644)
		}
		if err != nil {
			s.fatalf("cp: %v", err)
		}
	case "cmpfiles":
		a, err1 := os.ReadFile(s.arg(args, 0))
		b, err2 := os.ReadFile(s.arg(args, 1))
		if err1 != nil || err2 != nil {
			s.fatalf("cmpfiles: %v %v", err1, err2)
		}
		if bytes.Equal(a, b) == neg {
			s.fatalf("%s and %s identical: %v, want %v", args[0], args[1], neg, !neg)
		}
	default:
		s.fatalf("unknown script command %q", cmd)
	}
}

func (s *scriptState) needRun() {
	s.t.Helper()
	if !s.ran {
		s.fatalf("no poolsim command ran before this check")
	}
}

func (s *scriptState) arg(args []string, i int) string {
	s.t.Helper()
	if i >= len(args) {
		s.fatalf("missing argument %d", i+1)
	}
	return args[i]
}

func (s *scriptState) regexp(expr string) *regexp.Regexp {
	s.t.Helper()
	re, err := regexp.Compile("(?m)" + expr)
	if err != nil {
		s.fatalf("%v", err)
	}
	return re
}

// splitArgs splits a script line at spaces, keeping single-quoted text
// (which may contain spaces) as one argument.
func splitArgs(line string) []string {
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			inQuote = !inQuote
			have = true
		case !inQuote && (r == ' ' || r == '\t' || r == '\r'):
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}
