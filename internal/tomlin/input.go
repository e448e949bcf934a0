package tomlin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// MaxFileBytes bounds a scenario or experiment file.
const MaxFileBytes = 16 << 20

// ReadFile reads the input file at path: a regular file (not a device, a
// FIFO or a directory, which could be endless or block) of at most
// MaxFileBytes, read through a limited reader so that a larger file is
// refused without reading it whole. Errors that are about the file, not
// about opening it, are [Errors] naming it.
func ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a directory"
		case st.Mode()&os.ModeNamedPipe != 0:
			what = "a named pipe"
		case st.Mode()&os.ModeDevice != 0:
			what = "a device"
		case st.Mode()&os.ModeSocket != 0:
			what = "a socket"
		}
		return nil, Errors{{File: path, Msg: what + ", not a TOML file: a scenario or experiment is a regular file"}}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, pathError(path, err)
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(path)
	}
	return data, nil
}

// pathError words an error of the file system as "FILE: what", the file
// name quoted when it is not printable text; errors.Is still sees the
// cause (fs.ErrNotExist …).
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", SafeName(path), err)
}

func tooLarge(name string) Errors {
	return Errors{{File: name, Msg: fmt.Sprintf("file too large: a scenario or experiment is at most %d MB of TOML", MaxFileBytes>>20)}}
}

// EmptyInput is the message for an input file without keys, whichever kind
// it was meant to be: the same file gets the same message from every
// command and every package.
const EmptyInput = `empty file: nothing to simulate (a scenario needs at least a [classes.NAME] and a [clients.NAME] table; an experiment names its base scenario with scenario = "FILE")`

// Doc is an input file parsed as TOML.
type Doc struct {
	Name string
	Data []byte         // the text, without a leading byte-order mark
	Raw  map[string]any // the decoded document
	Keys []Key          // every key statement in file order
}

// Parse checks what every poolsim input file must be, scenario or
// experiment: at most MaxFileBytes of UTF-8 text without NUL bytes (a
// leading byte-order mark is dropped), nested at most MaxDepth deep, in
// TOML syntax, with at least one key. It returns the parsed document, or
// Errors holding the one problem found, with the file's name and the line
// and column where it is. empty is the message for a file without keys.
func Parse(name string, data []byte, empty string) (*Doc, error) {
	fail := func(line, col int, format string, a ...any) (*Doc, error) {
		return nil, Errors{{File: name, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)}}
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(name)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		return fail(line, col, "binary data (a NUL byte): not a TOML file")
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		line, col := lineCol(data, i)
		return fail(line, col, "invalid UTF-8: not a TOML file (TOML is UTF-8 text)")
	}
	stmts, deep := scan(data)
	if deep != nil {
		return fail(deep.line, 0, "nested more than %d deep (%s): no scenario or experiment needs that", MaxDepth, deep.what)
	}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The message may quote the input, newlines included: keep it
			// on one line.
			msg := strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(pe.Message)
			if h := redefinitionHint(pe.Message, data, pe.Position.Line); h != "" {
				msg = strings.TrimSuffix(msg, ".") + ": " + h
			}
			return fail(pe.Position.Line, pe.Position.Col, "TOML syntax: %s", msg)
		}
		return fail(0, 0, "%v", err)
	}
	if len(md.Keys()) == 0 {
		return fail(0, 0, "%s", empty)
	}
	if raw == nil {
		raw = map[string]any{}
	}
	doc := &Doc{Name: name, Data: data, Raw: raw, Keys: match(md.Keys(), stmts)}
	if errs := doc.controls(); len(errs) > 0 {
		return nil, errs.Capped(name)
	}
	return doc, nil
}

// controls reports every key holding a control character, and every
// string value holding one other than a tab or a line break (a terminal
// escape, U+2028 …): no input needs one, and names and values end up in
// terminals, logs and CSV cells.
func (doc *Doc) controls() Errors {
	var errs Errors
	reported := map[string]bool{}
	for _, k := range doc.Keys {
		i := slices.IndexFunc(k.Path, func(p string) bool { return !Printable(p) })
		if i < 0 {
			continue
		}
		// Once for each bad key, not again for the keys below it.
		if key := keyText(k.Path[:i+1]); !reported[key] {
			reported[key] = true
			errs = append(errs, FieldError{File: doc.Name, Line: k.Line, Key: key,
				Msg: "a key may not hold control characters (such as terminal escapes or line separators)"})
		}
	}
	walkStrings(doc.Raw, nil, func(path []string, s string) {
		if Printable(layout.Replace(s)) {
			return
		}
		errs = append(errs, FieldError{File: doc.Name, Line: doc.lineOf(path), Key: keyText(path), Value: strconv.QuoteToASCII(Shorten(s)),
			Msg: "a string may not hold control characters (such as terminal escapes or line separators)"})
	})
	slices.SortStableFunc(errs, func(a, b FieldError) int { return a.Line - b.Line })
	return errs
}

// layout blanks the control characters a multi-line string may hold.
var layout = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// walkStrings calls f with every string value below v and its key path
// (array elements take their parent's path).
func walkStrings(v any, path []string, f func([]string, string)) {
	switch v := v.(type) {
	case string:
		f(path, v)
	case map[string]any:
		for _, k := range SortedKeys(v) {
			walkStrings(v[k], append(path[:len(path):len(path)], k), f)
		}
	case []any:
		for _, e := range v {
			walkStrings(e, path, f)
		}
	case []map[string]any:
		for _, e := range v {
			walkStrings(e, path, f)
		}
	}
}

// lineOf returns the line of the first statement of path, or of its
// nearest ancestor written, or 0.
func (doc *Doc) lineOf(path []string) int {
	for n := len(path); n > 0; n-- {
		for _, k := range doc.Keys {
			if slices.Equal(k.Path, path[:n]) {
				return k.Line
			}
		}
	}
	return 0
}

// keyText writes a key path for a message, as a TOML dotted key with every
// part that is not a bare key quoted (and escaped).
func keyText(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		if Printable(p) {
			parts[i] = toml.Key{p}.String()
		} else {
			parts[i] = strconv.QuoteToASCII(p)
		}
	}
	return strings.Join(parts, ".")
}

// lineCol returns the 1-based line and column (in bytes) of offset i.
func lineCol(data []byte, i int) (int, int) {
	line := 1 + bytes.Count(data[:i], []byte("\n"))
	col := i + 1
	if nl := bytes.LastIndexByte(data[:i], '\n'); nl >= 0 {
		col = i - nl
	}
	return line, col
}
