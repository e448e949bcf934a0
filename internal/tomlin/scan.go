package tomlin

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// MaxDepth bounds how deep an input may nest: key parts (of table headers
// and dotted keys, inline tables included) plus arrays. The deepest key of
// a shipped experiment is 7 deep; the TOML library takes time and memory
// that grow fast with depth, and recursion without bound, so deeper input
// is refused before it is decoded.
const MaxDepth = 32

// Key is one key statement of a document as written: a table header or
// the key of a key/value pair, with its full path and its line.
type Key struct {
	Path   []string
	Line   int  // 0 when the scanner and the TOML library disagree
	Header bool // a [table] or [[array of tables]] header
	// Elem is the ordinal of the [[array of tables]] element, or of the
	// element of an inline array of tables, that the key belongs to; -1
	// outside any.
	Elem int
	// Depth is the length of the path of the statement the key is written
	// in: less than len(Path) for a key inside an inline-table value.
	Depth int
}

// stmt is what the scanner records of a key statement, in the order
// github.com/BurntSushi/toml lists keys (MetaData.Keys).
type stmt struct {
	line   int
	header bool
	array  bool // [[header]]
	n      int  // length of the full path
	depth  int  // length of the path of the enclosing statement
	elem   int  // element of an inline array of tables, -1 outside
}

// deep is a nesting past MaxDepth: where, and of what.
type deep struct {
	line int
	what string
}

// match gives each key of the TOML library's ordered list the line the
// scanner found for it. Should the two ever disagree, the keys keep no
// lines rather than wrong ones.
func match(keys []toml.Key, stmts []stmt) []Key {
	out := make([]Key, len(keys))
	agree := len(keys) == len(stmts)
	for i := 0; agree && i < len(keys); i++ {
		agree = len(keys[i]) == stmts[i].n
	}
	arrays := map[string]int{}
	elem := -1
	for i, k := range keys {
		key := Key{Path: []string(k), Elem: -1, Depth: len(k)}
		if agree {
			s := stmts[i]
			key.Line, key.Header, key.Depth = s.line, s.header, s.depth
			if s.header {
				elem = -1
				if s.array {
					p := k.String()
					elem = arrays[p]
					arrays[p]++
				}
			}
			key.Elem = elem
			if s.elem >= 0 {
				key.Elem = s.elem
			}
		}
		out[i] = key
	}
	return out
}

// scanner walks TOML text for the lines of its key statements and the
// depth of its nesting. It is structural only: it knows keys, tables,
// strings of every kind, comments, arrays and inline tables, and skips the
// contents of other values. On text that is not TOML it still ends (every
// step makes progress); the TOML library reports the syntax error.
type scanner struct {
	src   string
	pos   int
	line  int
	stmts []stmt
	deep  *deep
}

func scan(data []byte) ([]stmt, *deep) {
	s := &scanner{src: string(data), line: 1}
	s.document()
	return s.stmts, s.deep
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
			s.pos++
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

// tooDeep records the first nesting past MaxDepth and reports whether
// there is one.
func (s *scanner) tooDeep(n int, what string) bool {
	if n > MaxDepth && s.deep == nil {
		s.deep = &deep{line: s.line, what: what}
	}
	return s.deep != nil
}

func (s *scanner) document() {
	prefix := 0
	for s.deep == nil {
		s.space(true)
		if s.pos >= len(s.src) {
			return
		}
		line := s.line
		if s.peek(0) != '[' {
			s.keyValue(prefix, -1)
			continue
		}
		array := s.peek(1) == '['
		s.advance()
		if array {
			s.advance()
		}
		prefix = s.key()
		if s.tooDeep(prefix, "a table header") {
			return
		}
		s.space(false)
		s.advance()
		if array {
			s.advance()
		}
		s.stmts = append(s.stmts, stmt{line: line, header: true, array: array, n: prefix, depth: prefix, elem: -1})
	}
}

// keyValue scans `key = value` in a table whose path has prefix parts;
// elem is the element of an inline array of tables it is in, or -1.
func (s *scanner) keyValue(prefix, elem int) {
	line, before := s.line, s.pos
	n := prefix + s.key()
	if s.tooDeep(n, "a dotted key") {
		return
	}
	s.stmts = append(s.stmts, stmt{line: line, n: n, depth: n, elem: elem})
	s.space(false)
	if s.peek(0) == '=' {
		s.advance()
	}
	s.space(false)
	s.value(n, n, elem)
	if s.pos == before { // not TOML: make progress
		s.advance()
	}
}

// key scans a possibly dotted, possibly quoted key and returns how many
// parts it has.
func (s *scanner) key() int {
	n := 0
	for {
		s.space(false)
		switch s.peek(0) {
		case '"':
			s.basicString()
		case '\'':
			s.literalString()
		default:
			for s.pos < len(s.src) && isBare(s.src[s.pos]) {
				s.pos++
			}
		}
		n++
		s.space(false)
		if s.peek(0) != '.' || n > MaxDepth {
			return n
		}
		s.advance()
	}
}

func isBare(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips one value of the key whose full path has n parts, nested
// depth deep (key parts and arrays); the keys of inline tables in it are
// recorded.
func (s *scanner) value(n, depth, elem int) {
	rest := s.src[s.pos:]
	switch {
	case strings.HasPrefix(rest, `"""`):
		s.multiline(`"""`, true)
	case strings.HasPrefix(rest, `'''`):
		s.multiline(`'''`, false)
	case s.peek(0) == '"':
		s.basicString()
	case s.peek(0) == '\'':
		s.literalString()
	case s.peek(0) == '[':
		s.array(n, depth+1, elem)
	case s.peek(0) == '{':
		s.inlineTable(n, depth, elem)
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

func (s *scanner) array(n, depth, elem int) {
	if s.tooDeep(depth, "an array") {
		return
	}
	s.advance()
	for i := 0; s.deep == nil; i++ {
		s.space(true)
		if c := s.peek(0); c == ']' || c == 0 {
			s.advance()
			return
		}
		before := s.pos
		e := elem
		if s.peek(0) == '{' {
			e = i
		}
		s.value(n, depth, e)
		s.space(true)
		if s.peek(0) == ',' {
			s.advance()
		}
		if s.pos == before {
			s.advance()
		}
	}
}

func (s *scanner) inlineTable(n, depth, elem int) {
	s.advance()
	for s.deep == nil {
		s.space(true)
		if c := s.peek(0); c == '}' || c == 0 {
			s.advance()
			return
		}
		line, before := s.line, s.pos
		parts := s.key()
		if s.tooDeep(depth+parts, "an inline table") {
			return
		}
		s.stmts = append(s.stmts, stmt{line: line, n: n + parts, depth: n, elem: elem})
		s.space(false)
		if s.peek(0) == '=' {
			s.advance()
		}
		s.space(false)
		s.value(n+parts, depth+parts, elem)
		s.space(true)
		if s.peek(0) == ',' {
			s.advance()
		}
		if s.pos == before {
			s.advance()
		}
	}
}

func (s *scanner) basicString() {
	s.advance()
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\\':
			s.advance()
		case '"':
			s.advance()
			return
		case '\n':
			return
		}
		s.advance()
	}
}

func (s *scanner) literalString() {
	s.advance()
	for s.pos < len(s.src) && s.src[s.pos] != '\'' && s.src[s.pos] != '\n' {
		s.advance()
	}
	s.advance()
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
		if strings.HasPrefix(s.src[s.pos:], delim) {
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
