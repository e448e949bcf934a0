package tomlin

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError is one problem with an input: where it is (the file, or the
// source of an override, and the line when known), the dotted key, the
// value as written, and what is wrong or allowed.
type FieldError struct {
	File  string
	Line  int // 0: unknown
	Col   int // 0: unknown; only syntax errors have one
	Key   string
	Value string // TOML text of the value; "" when there is none
	Msg   string
}

// Error formats e as "file:line: key = value: msg", leaving out what is
// unknown. A file name that is not printable text (a newline, a terminal escape)
// is quoted, so that it cannot split the one-problem-a-line output.
func (e FieldError) Error() string {
	var b strings.Builder
	b.WriteString(SafeName(e.File))
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	}
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	if e.Key != "" {
		sep()
		b.WriteString(e.Key)
		if e.Value != "" {
			b.WriteString(" = " + e.Value)
		}
	}
	sep()
	b.WriteString(e.Msg)
	return escapeControls(b.String())
}

// escapeControls writes every control character of s (and every invalid
// byte) as an escape, so that a message is one line of plain text whatever
// it quotes.
func escapeControls(s string) string {
	if Printable(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Errors lists the problems found in an input, in file order.
type Errors []FieldError

// Error lists the problems one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// MaxReported bounds the problems listed for one input: past it, one more
// line counts the rest, so that a file of a hundred thousand mistakes is
// reported as fast as a file of one.
const MaxReported = 100

// Capped returns es with at most MaxReported problems, the last line then
// saying how many more there were; file names the input.
func (es Errors) Capped(file string) Errors {
	if len(es) <= MaxReported {
		return es
	}
	return CapNote(es[:MaxReported:MaxReported], file, len(es)-MaxReported)
}

// CapNote appends to es the line that counts the n problems left out.
func CapNote(es Errors, file string, n int) Errors {
	if n <= 0 {
		return es
	}
	return append(es, FieldError{File: file, Msg: fmt.Sprintf("%d more problems not listed (only the first %d are)", n, MaxReported)})
}

// SafeName is a file name as it may appear at the start of a message
// line: as it is when it is printable text, else quoted in Go syntax, so
// that a newline or a terminal escape sequence in a name can neither split
// a message nor reach the terminal.
func SafeName(name string) string {
	if Printable(name) {
		return name
	}
	return strconv.Quote(name)
}

// Printable reports whether s is valid UTF-8 without control characters
// (C0, DEL, C1) or line and paragraph separators.
func Printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
