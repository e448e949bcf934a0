// Package tomlin is poolsim's one front end for TOML input files, scenarios
// and experiments alike. It owns what every input must be (a regular file
// of at most MaxFileBytes of UTF-8 text, nested no deeper than MaxDepth),
// the line of every key as written, and the shape of every complaint about
// a value: `FILE:LINE: KEY = VALUE: what is wrong`, with the same words for
// the same fault whichever kind of file it is in.
//
// The TOML itself is decoded by github.com/BurntSushi/toml. That library
// keeps key positions to itself, so a small scanner here walks the text
// once for the line of each key statement and the nesting depth; the keys'
// names come from the library's own ordered key list, which the scanner's
// statements are matched against one for one.
package tomlin
