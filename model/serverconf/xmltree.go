package serverconf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is an XML element with the line it starts on.
type node struct {
	name     string
	attrs    []attr
	children []*node
	line     int
}

type attr struct {
	name, value string
	line        int
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) attr(name string) (attr, bool) {
	for _, a := range n.attrs {
		if a.name == name {
			return a, true
		}
	}
	return attr{}, false
}

// parseXML reads the element tree of data, with line numbers.
func parseXML(file string, data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	lines := lineCounter{data: data, line: 1}
	lineAt := lines.at
	var stack []*node
	var root *node
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("%s:%d: malformed XML: %s", file, se.Line, se.Msg)
			}
			return nil, fmt.Errorf("%s:%d: malformed XML: %v", file, lineAt(d.InputOffset()), err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			// The start tag begins after any whitespace since off.
			begin := off + int64(len(data[off:])-len(bytes.TrimLeft(data[off:], " \t\r\n")))
			tag := data[begin:min(int(d.InputOffset()), len(data))]
			n := &node{name: t.Name.Local, line: lineAt(begin)}
			for _, a := range t.Attr {
				n.attrs = append(n.attrs, attr{a.Name.Local, a.Value, lineAt(begin + attrOffset(tag, a.Name.Local))})
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%s: no XML element: not an IIS configuration file", file)
	}
	return root, nil
}

// looksLikeXML reports whether data starts, after a byte-order mark and
// white space, with '<'.
func looksLikeXML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return strings.HasPrefix(strings.TrimLeft(string(data[:min(len(data), 512)]), " \t\r\n"), "<")
}

// attrOffset is where the attribute name (followed by '=') starts in a
// start tag, so that a warning names the line of a tag written over
// several lines; 0 when not found.
func attrOffset(tag []byte, name string) int64 {
	for i := 0; ; {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return 0
		}
		k := i + j
		before := k == 0 || tag[k-1] == ' ' || tag[k-1] == '\t' || tag[k-1] == '\n' || tag[k-1] == '\r'
		rest := bytes.TrimLeft(tag[k+len(name):], " \t\r\n")
		if before && len(rest) > 0 && rest[0] == '=' {
			return int64(k)
		}
		i = k + len(name)
	}
}

// lineCounter turns byte offsets into line numbers, counting forward from
// the last offset asked for (offsets mostly increase), so that a file of
// many elements costs linear time.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) at(off int64) int {
	o := min(int(off), len(c.data))
	if o < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:o], []byte("\n"))
	c.off = o
	return c.line
}
