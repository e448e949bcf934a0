// Command nbtool checks executed notebooks and copies their charts into the
// README's gallery, for notebooks/check.sh.
//
// Usage:
//
//	nbtool check [-forbid TEXT]... NOTEBOOK.ipynb...
//	nbtool gallery [-prune] -o DIR NOTEBOOK.ipynb...
//
// check fails when a cell has no id, a code cell was not executed, raised an
// error or wrote to stderr (GoNB reports a failed shell line that way
// without failing the cell), when a cell tagged "gallery:NAME" drew no PNG
// image, or when the notebook's text contains a forbidden string (this
// machine's paths). It prints each failing cell with its outputs.
//
// gallery writes the first PNG image of every code cell tagged
// "gallery:NAME" to DIR/NAME.png, rewriting a file only when its bytes
// change. With -prune, the PNG files of DIR that no tagged cell drew are
// removed.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const tagPrefix = "gallery:"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nbtool:", err)
		os.Exit(1)
	}
}

const usage = "usage: nbtool check [-forbid TEXT]... NOTEBOOK...\n       nbtool gallery [-prune] -o DIR NOTEBOOK..."

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "check":
		return check(args[1:], stdout)
	case "gallery":
		return gallery(args[1:], stdout)
	}
	return errors.New(usage)
}

// forbidden collects the repeated -forbid flag.
type forbidden []string

func (f *forbidden) String() string     { return strings.Join(*f, ",") }
func (f *forbidden) Set(s string) error { *f = append(*f, s); return nil }

func check(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var forbid forbidden
	fs.Var(&forbid, "forbid", "fail when the notebook contains `TEXT` (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New(usage)
	}
	failed := false
	for _, path := range fs.Args() {
		problems, err := checkFile(path, forbid)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintf(stdout, "%s: %s\n", filepath.Base(path), p)
			failed = true
		}
	}
	if failed {
		return errors.New("check failed")
	}
	return nil
}

// checkFile returns the problems of one executed notebook.
func checkFile(path string, forbid []string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	var problems []string
	for i, c := range nb.Cells {
		where := fmt.Sprintf("cell %d", i+1)
		if c.ID == "" {
			problems = append(problems, where+": no cell id")
		} else {
			where += " (" + c.ID + ")"
		}
		if c.CellType != "code" {
			continue
		}
		if len(c.Source) > 0 && c.ExecutionCount == nil {
			problems = append(problems, where+": not executed")
		}
		for _, o := range c.Outputs {
			switch {
			case o.OutputType == "error":
				problems = append(problems, fmt.Sprintf("%s: %s: %s\n%s%s", where, o.Ename, o.Evalue,
					indent(c.Source), indent(text(o.Traceback))))
			case o.OutputType == "stream" && o.Name == "stderr":
				problems = append(problems, fmt.Sprintf("%s: wrote to stderr:\n%s%s", where,
					indent(c.Source), indent(text(o.Text))))
			}
		}
		for _, tag := range c.Metadata.Tags {
			if _, ok := strings.CutPrefix(tag, tagPrefix); ok {
				if _, err := firstPNG(c); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s: %v", where, tag, err))
				}
			}
		}
	}
	for _, s := range forbid {
		if s == "" {
			continue
		}
		for n, line := range bytes.Split(data, []byte("\n")) {
			if bytes.Contains(line, []byte(s)) {
				problems = append(problems, fmt.Sprintf("line %d contains %q, a path of this machine: %s",
					n+1, s, strings.TrimSpace(string(line))))
			}
		}
	}
	return problems, nil
}

func gallery(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gallery", flag.ContinueOnError)
	dir := fs.String("o", "", "write the charts to `DIR`")
	prune := fs.Bool("prune", false, "remove DIR/*.png that no tagged cell drew")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() == 0 {
		return errors.New(usage)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	drawn := map[string]string{} // file name → the notebook that drew it
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		nb, err := parse(path, data)
		if err != nil {
			return err
		}
		for i, c := range nb.Cells {
			for _, tag := range c.Metadata.Tags {
				name, ok := strings.CutPrefix(tag, tagPrefix)
				if !ok {
					continue
				}
				if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
					return fmt.Errorf("%s: cell %d: tag %q does not name a file", path, i+1, tag)
				}
				png, err := firstPNG(c)
				if err != nil {
					return fmt.Errorf("%s: cell %d (%s): %w", path, i+1, tag, err)
				}
				file := name + ".png"
				if prev, ok := drawn[file]; ok {
					return fmt.Errorf("%s: %s is drawn by %s too", path, file, prev)
				}
				drawn[file] = path
				changed, err := write(filepath.Join(*dir, file), png)
				if err != nil {
					return err
				}
				if changed {
					fmt.Fprintf(stdout, "wrote %s\n", file)
				}
			}
		}
	}
	if !*prune {
		return nil
	}
	old, err := filepath.Glob(filepath.Join(*dir, "*.png"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := drawn[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "removed %s\n", filepath.Base(f))
		}
	}
	return nil
}

// notebook is the part of the nbformat 4 schema read here.
type notebook struct {
	Cells []cell `json:"cells"`
}

type cell struct {
	ID             string    `json:"id"`
	CellType       string    `json:"cell_type"`
	Source         multiline `json:"source"`
	ExecutionCount *int      `json:"execution_count"`
	Metadata       struct {
		Tags []string `json:"tags"`
	} `json:"metadata"`
	Outputs []output `json:"outputs"`
}

type output struct {
	OutputType string               `json:"output_type"`
	Name       string               `json:"name"`
	Text       multiline            `json:"text"`
	Data       map[string]multiline `json:"data"`
	Ename      string               `json:"ename"`
	Evalue     string               `json:"evalue"`
	Traceback  []string             `json:"traceback"`
}

// multiline is nbformat's text: a string, or a list of strings to be joined.
// Other JSON values (the application/json of a display) decode to nothing.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err == nil {
		*m = multiline(strings.Join(parts, ""))
	}
	return nil
}

func parse(path string, data []byte) (*notebook, error) {
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}

// firstPNG decodes the first image/png output of a cell.
func firstPNG(c cell) ([]byte, error) {
	for _, o := range c.Outputs {
		s, ok := o.Data["image/png"]
		if !ok {
			continue
		}
		clean := strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' {
				return -1
			}
			return r
		}, string(s))
		png, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			return nil, fmt.Errorf("image/png: %w", err)
		}
		if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			return nil, errors.New("its image/png output is not a PNG image")
		}
		return png, nil
	}
	return nil, errors.New("the cell drew no PNG image")
}

// text joins the lines of a traceback or stream, without terminal colours.
func text[T ~string | []string](v T) string {
	var s string
	switch v := any(v).(type) {
	case multiline:
		s = string(v)
	case []string:
		s = strings.Join(v, "\n")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\x1b' { // skip an ANSI escape: ESC [ ... letter
			j := i + 1
			if j < len(s) && s[j] == '[' {
				for j++; j < len(s) && !(s[j] >= '@' && s[j] <= '~'); j++ {
				}
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// indent indents text by four spaces, for a report.
func indent[T ~string](s T) string {
	str := strings.TrimRight(string(s), "\n")
	if str == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(str, "\n", "\n    ") + "\n"
}

// write writes data to path unless the file already holds it, through a
// temporary file and a rename, and reports whether it wrote.
func write(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}
