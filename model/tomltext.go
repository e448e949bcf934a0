package model

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// MaxFileBytes bounds a scenario or experiment file.
const MaxFileBytes = 16 << 20

// ParseTOML checks what every poolsim input file must be, scenario or
// experiment: at most MaxFileBytes of UTF-8 text (a leading byte-order mark
// is dropped) in TOML syntax, with at least one key. It returns the parsed
// document, its metadata and the data without the byte-order mark, or
// Errors holding the one problem found, with the file's name and the line
// and column where it is. empty is the message for a file without keys.
func ParseTOML(name string, data []byte, empty string) (map[string]any, toml.MetaData, []byte, error) {
	var md toml.MetaData
	fail := func(line, col int, format string, a ...any) (map[string]any, toml.MetaData, []byte, error) {
		return nil, md, nil, Errors{{File: name, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)}}
	}
	if len(data) > MaxFileBytes {
		return fail(0, 0, "file too large (%d bytes): a scenario or experiment is at most %d MB of TOML", len(data), MaxFileBytes>>20)
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
	return raw, md, data, nil
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
