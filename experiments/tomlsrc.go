package experiments

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/model"
)

// srcKey is one key of a TOML document as written: a table header or the key
// of a key/value pair, with its full path and line. The TOML decoder keeps
// no positions for keys, so the experiment file is scanned again (after it
// has parsed without error) to put line numbers on unknown keys, type errors
// and overrides.
type srcKey struct {
	path   []string // full path: table prefix + key
	line   int
	header bool // a [table] or [[array of tables]] header
	// elem is the ordinal of the [[array of tables]] element (or the
	// element of an inline array of tables) the key belongs to; -1 outside.
	elem int
	// depth is the length of the path at which the key's statement began:
	// keys inside an inline table value have a larger len(path) than depth.
	depth int
}

// scanKeys lists the keys of a syntactically valid TOML document in the
// order they appear. It is a small structural lexer: it understands keys,
// tables, strings of every kind, arrays and inline tables, and skips the
// contents of every other value.
func scanKeys(data []byte) []srcKey {
	s := &scanner{src: string(data), line: 1}
	s.document()
	return s.keys
}

type scanner struct {
	src  string
	pos  int
	line int
	keys []srcKey
}

func (s *scanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

func (s *scanner) advance() {
	if s.pos < len(s.src) {
		if s.src[s.pos] == '\n' {
			s.line++
		}
		s.pos++
	}
}

// space skips blanks, and newlines and comments too when nl is set.
func (s *scanner) space(nl bool) {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.advance()
		case c == '\n' && nl:
			s.advance()
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		default:
			return
		}
	}
}

func (s *scanner) document() {
	var prefix []string
	elem := -1
	arrays := map[string]int{}
	for {
		s.space(true)
		if s.pos >= len(s.src) {
			return
		}
		line := s.line
		if s.peek(0) == '[' {
			array := s.peek(1) == '['
			s.advance()
			if array {
				s.advance()
			}
			s.space(false)
			prefix = s.key()
			s.space(false)
			s.advance()
			if array {
				s.advance()
				k := strings.Join(prefix, "\x00")
				elem = arrays[k]
				arrays[k]++
			} else {
				elem = -1
			}
			s.keys = append(s.keys, srcKey{path: prefix, line: line, header: true, elem: elem, depth: len(prefix)})
			continue
		}
		s.keyValue(prefix, elem)
	}
}

// rest returns the source not yet scanned.
func (s *scanner) rest() string { return s.src[s.pos:] }

// keyValue scans `key = value` under prefix.
func (s *scanner) keyValue(prefix []string, elem int) {
	line := s.line
	before := s.pos
	k := s.key()
	path := append(slices.Clone(prefix), k...)
	s.keys = append(s.keys, srcKey{path: path, line: line, elem: elem, depth: len(path)})
	s.space(false)
	if s.peek(0) == '=' {
		s.advance()
	}
	s.space(false)
	s.value(path, elem)
	if s.pos == before { // malformed input: make progress
		s.advance()
	}
}

// key scans a possibly dotted, possibly quoted key.
func (s *scanner) key() []string {
	var parts []string
	for {
		s.space(false)
		switch s.peek(0) {
		case '"':
			raw := s.basicString()
			v, err := strconv.Unquote(raw)
			if err != nil {
				v = strings.Trim(raw, `"`)
			}
			parts = append(parts, v)
		case '\'':
			raw := s.literalString()
			parts = append(parts, strings.Trim(raw, "'"))
		default:
			start := s.pos
			for s.pos < len(s.src) && isBare(s.src[s.pos]) {
				s.pos++
			}
			parts = append(parts, s.src[start:s.pos])
		}
		s.space(false)
		if s.peek(0) != '.' {
			return parts
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips one value; keys of inline tables are recorded under path.
func (s *scanner) value(path []string, elem int) {
	switch {
	case strings.HasPrefix(s.rest(), `"""`):
		s.multiline(`"""`, true)
	case strings.HasPrefix(s.rest(), `'''`):
		s.multiline(`'''`, false)
	case s.peek(0) == '"':
		s.basicString()
	case s.peek(0) == '\'':
		s.literalString()
	case s.peek(0) == '[':
		s.advance()
		for i := 0; ; i++ {
			s.space(true)
			if c := s.peek(0); c == ']' || c == 0 {
				s.advance()
				return
			}
			e := elem
			if s.peek(0) == '{' {
				e = i
			}
			s.value(path, e)
			s.space(true)
			if s.peek(0) == ',' {
				s.advance()
			}
		}
	case s.peek(0) == '{':
		s.advance()
		for {
			s.space(true)
			if c := s.peek(0); c == '}' || c == 0 {
				s.advance()
				return
			}
			line := s.line
			before := s.pos
			k := s.key()
			p := append(slices.Clone(path), k...)
			s.keys = append(s.keys, srcKey{path: p, line: line, elem: elem, depth: len(path)})
			s.space(false)
			if s.peek(0) == '=' {
				s.advance()
			}
			s.space(false)
			s.value(p, elem)
			s.space(true)
			if s.peek(0) == ',' {
				s.advance()
			}
			if s.pos == before {
				s.advance()
			}
		}
	default:
		for s.pos < len(s.src) {
			switch s.src[s.pos] {
			case ',', ']', '}', '#', '\n':
				return
			}
			s.pos++
		}
	}
}

func (s *scanner) basicString() string {
	start := s.pos
	s.advance()
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\\':
			s.advance()
		case '"':
			s.advance()
			return s.src[start:s.pos]
		case '\n':
			return s.src[start:s.pos]
		}
		s.advance()
	}
	return s.src[start:s.pos]
}

func (s *scanner) literalString() string {
	start := s.pos
	s.advance()
	for s.pos < len(s.src) && s.src[s.pos] != '\'' && s.src[s.pos] != '\n' {
		s.advance()
	}
	s.advance()
	return s.src[start:min(s.pos, len(s.src))]
}

// multiline skips a multi-line string; up to two extra quotes may precede
// the closing delimiter.
func (s *scanner) multiline(delim string, escapes bool) {
	for range 3 {
		s.advance()
	}
	for s.pos < len(s.src) {
		if escapes && s.src[s.pos] == '\\' {
			s.advance()
			s.advance()
			continue
		}
		if strings.HasPrefix(s.rest(), delim) {
			for range 3 {
				s.advance()
			}
			for range 2 {
				if s.peek(0) == delim[0] {
					s.advance()
				}
			}
			return
		}
		s.advance()
	}
}

// tomlText writes v, a value decoded by the TOML decoder, back as TOML value
// text that decodes to the same value of the same type: the text of an
// override, as model.FormatValue writes it.
func tomlText(v any) (string, error) {
	switch v.(type) {
	case string, int64, int, uint64, float64, bool, time.Time, []any, []map[string]any, map[string]any:
		return model.FormatValue(v), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

// label is how a sweep value appears in a CSV cell and in lookups: a string
// as it is, anything else as TOML text.
func label(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	s, err := tomlText(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
