package tomlin

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
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
		return nil, err
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
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(path)
	}
	return data, nil
}

func tooLarge(name string) Errors {
	return Errors{{File: name, Msg: fmt.Sprintf("file too large: a scenario or experiment is at most %d MB of TOML", MaxFileBytes>>20)}}
}

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
	return &Doc{Name: name, Data: data, Raw: raw, Keys: match(md.Keys(), stmts)}, nil
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
