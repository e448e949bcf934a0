package tomlin

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKeyLines checks the line found for every kind of key statement
// against the line where the test wrote it.
func TestKeyLines(t *testing.T) {
	src := `# comment
a = 1
b = """
x = 2
"""
[t."q.r"]
c = { d = 1, e = { f = [1, 2] } }
'g'.h = 'x'
[[arr]]
k = 1
[[arr]]
k = 2
[arr.sub]
z = [{ w = 1 }, { w = 2 }]
`
	doc, err := Parse("f.toml", []byte(src), "empty")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path   string
		line   int
		elem   int
		depth  int
		header bool
	}{
		{"a", 2, -1, 1, false}, {"b", 3, -1, 1, false}, {`t."q.r"`, 6, -1, 2, true},
		{`t."q.r".c`, 7, -1, 3, false}, {`t."q.r".c.d`, 7, -1, 3, false}, {`t."q.r".c.e`, 7, -1, 3, false}, {`t."q.r".c.e.f`, 7, -1, 4, false},
		{`t."q.r".g.h`, 8, -1, 4, false},
		{"arr", 9, 0, 1, true}, {"arr.k", 10, 0, 2, false}, {"arr", 11, 1, 1, true}, {"arr.k", 12, 1, 2, false},
		{"arr.sub", 13, -1, 2, true}, {"arr.sub.z", 14, -1, 3, false}, {"arr.sub.z.w", 14, 0, 3, false}, {"arr.sub.z.w", 14, 1, 3, false},
	}
	if len(doc.Keys) != len(want) {
		t.Fatalf("%d keys, want %d: %+v", len(doc.Keys), len(want), doc.Keys)
	}
	for i, w := range want {
		k := doc.Keys[i]
		got := Key{Path: k.Path, Line: k.Line, Elem: k.Elem, Depth: k.Depth, Header: k.Header}
		if keyString(k.Path) != w.path || k.Line != w.line || k.Elem != w.elem || k.Depth != w.depth || k.Header != w.header {
			t.Errorf("key %d: %s line %d elem %d depth %d header %v, want %+v", i, keyString(got.Path), k.Line, k.Elem, k.Depth, k.Header, w)
		}
	}
}

func keyString(p []string) string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		if strings.ContainsAny(s, ". ") {
			b.WriteString(`"` + s + `"`)
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}

// TestDeepNesting: inputs nested far deeper than any scenario are refused
// before the TOML library sees them (an array 10⁶ deep used to overflow
// the stack; headers, dotted keys and inline tables 10⁵ deep took
// gigabytes), and the refusal costs one linear scan.
func TestDeepNesting(t *testing.T) {
	const n = 100_000
	cases := map[string]string{
		"array":        "a = " + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000),
		"inline table": "a = " + strings.Repeat("{b = ", n) + "1" + strings.Repeat("}", n),
		"dotted key":   strings.Repeat("a.", n) + "b = 1",
		"table header": "[" + strings.Repeat("a.", n) + "b]\nc = 1",
		"array header": "[[" + strings.Repeat("a.", n) + "b]]\nc = 1",
		"mixed":        "[" + strings.Repeat("a.", 20) + "b]\nc = " + strings.Repeat("[", 20) + strings.Repeat("]", 20),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("deep.toml", []byte(src), "empty")
			var es Errors
			if !errors.As(err, &es) || len(es) != 1 || !strings.Contains(es[0].Msg, "nested more than 32 deep") {
				t.Fatalf("got %v, want a nesting error", err)
			}
		})
	}
	// As deep as allowed still parses.
	ok := "[" + strings.Repeat("a.", MaxDepth-2) + "b]\nc = 1"
	if _, err := Parse("ok.toml", []byte(ok), "empty"); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
}

// TestReadFileSpecial: devices, FIFOs and directories are refused without
// reading (or blocking on) them; a huge sparse file is refused at the size
// limit without being read whole.
func TestReadFileSpecial(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(dir, "sparse.toml")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	for path, want := range map[string]string{
		"/dev/zero": "a device", "/dev/urandom": "a device", fifo: "a named pipe", dir: "a directory",
		sparse: "file too large",
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(path); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("%s: %v, want %q", path, err, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: ReadFile blocked", path)
		}
	}
}

// TestReadFileMissing: a file that is not there is named (quoted when its
// name is not printable text) and still reads as fs.ErrNotExist.
func TestReadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no\nsuch.toml")
	_, err := ReadFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), strconv.Quote(path)+": ") {
		t.Errorf("got %v", err)
	}
}

// TestErrorShape: FILE:LINE: KEY = VALUE: message, a file name that is not
// printable text quoted so that it cannot split the line or reach the
// terminal.
func TestErrorShape(t *testing.T) {
	for _, c := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "a.toml", Line: 3, Key: "x", Value: `"y"`, Msg: "bad"}, `a.toml:3: x = "y": bad`},
		{FieldError{File: "a.toml", Key: "x", Msg: "bad"}, `a.toml: x: bad`},
		{FieldError{File: "a\nb.toml", Line: 1, Msg: "bad"}, `"a\nb.toml":1: bad`},
		{FieldError{File: "\x1b[31mred.toml", Msg: "bad"}, `"\x1b[31mred.toml": bad`},
		{FieldError{File: "a\u2028b", Msg: "bad"}, `"a\u2028b": bad`},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}

// TestCapped: past MaxReported problems, one line counts the rest.
func TestCapped(t *testing.T) {
	es := make(Errors, 250)
	for i := range es {
		es[i] = FieldError{File: "f", Line: i + 1, Msg: "x"}
	}
	c := es.Capped("f")
	if len(c) != MaxReported+1 || c[MaxReported].Error() != "f: 150 more problems not listed (only the first 100 are)" {
		t.Errorf("%d lines, last %q", len(c), c[len(c)-1].Error())
	}
	if got := es[:5].Capped("f"); len(got) != 5 {
		t.Errorf("5 problems capped to %d", len(got))
	}
}

func TestSuggestAndLists(t *testing.T) {
	known := []string{"threads", "processes", "queue_length"}
	for in, want := range map[string]string{"thraeds": "threads", "Threads": "threads", "queue_lenght": "queue_length", "zzz": "", "q": ""} {
		if got := Suggest(in, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance = %d", d)
	}
	many := make([]string, 30)
	for i := range many {
		many[i] = "n"
	}
	if got := QuoteList(many); !strings.HasSuffix(got, `"n" and 10 more`) {
		t.Errorf("QuoteList of 30: %s", got)
	}
}

// TestScanKeysTricky finds every key and its line, past the values that
// could confuse a line-oriented reader.
func TestScanKeysTricky(t *testing.T) {
	src := `a = 1 # comment = 2
"b.c" = """
x = 1
"""
d.'e f' = '''
[not a table]
'''
g = [
  1, # g.h = 2
  [2, 3],
  { i = 4 },
]
[t."u v"]
w = { x = { y = 1 }, z = "}" }
[[arr]]
k = 1
[[arr]]
k = 2
l = "\"[x]"
`
	var got []string
	doc, err := Parse("f.toml", []byte(src), "empty")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range doc.Keys {
		got = append(got, strings.Join(k.Path, "/")+"@"+strconv.Itoa(k.Line)+"#"+strconv.Itoa(k.Elem))
	}
	want := []string{
		"a@1#-1", "b.c@2#-1", "d/e f@5#-1", "g@8#-1", "g/i@11#2",
		"t/u v@13#-1", "t/u v/w@14#-1", "t/u v/w/x@14#-1", "t/u v/w/x/y@14#-1", "t/u v/w/z@14#-1",
		"arr@15#0", "arr/k@16#0", "arr@17#1", "arr/k@18#1", "arr/l@19#1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("scanKeys:\n got %q\nwant %q", got, want)
	}
}

// FuzzParse: Parse never panics, and for every document it accepts the
// scanner agrees with the TOML library on every key statement (a
// disagreement would leave every key without a line).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc = { d = [1, { e = 2 }] }\n[[f]]\ng = '''x\ny'''\n",
		"a.\"b.c\".'d' = \"\"\"\n[x]\n\"\"\"\n",
		"a = [\n  1, # ]\n  [2, [3]],\n]\n",
		"\xef\xbb\xbfa = 1",
		"[" + strings.Repeat("a.", 40) + "b]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("f.toml", data, "empty")
		if err != nil {
			return
		}
		for _, k := range doc.Keys {
			if k.Line <= 0 {
				t.Fatalf("key %q without a line in %q", k.Path, data)
			}
		}
	})
}

// TestPHPFPMDottedKeyHint checks the rule of docs/model.md "php-fpm" in the
// syntax-error path: a php-fpm key copied from www.conf (pm.max_children
// after pm, listen.backlog after listen) makes the decoder refuse a
// redefinition, and the message names the key [php_fpm] uses; another
// redefinition keeps the decoder's words alone.
func TestPHPFPMDottedKeyHint(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"[php_fpm]\npm = \"static\"\npm.max_children = 4\n",
			"c.toml:3:15: TOML syntax: Key 'php_fpm.pm' has already been defined: php-fpm's pm.max_children is written max_children in [php_fpm] (pm.X -> X; listen.backlog -> listen_backlog)"},
		{"php_fpm.pm = \"static\"\nphp_fpm.pm.start_servers = 2\n",
			"c.toml:2:23: TOML syntax: Key 'php_fpm.pm' has already been defined: php-fpm's pm.start_servers is written start_servers in [php_fpm] (pm.X -> X; listen.backlog -> listen_backlog)"},
		{"[php_fpm]\nlisten = \"/run/php.sock\"\nlisten.backlog = 8\n",
			"c.toml:3:26: TOML syntax: Key 'php_fpm.listen' has already been defined: php-fpm's listen.backlog is written listen_backlog in [php_fpm] (pm.X -> X; listen.backlog -> listen_backlog)"},
		{"[pool]\nname = \"a\"\nname.x = 1\n", "c.toml:3:12: TOML syntax: Key 'pool.name' has already been defined."},
	} {
		_, err := Parse("c.toml", []byte(c.src), EmptyInput)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.src, err, c.want)
		}
	}
}
