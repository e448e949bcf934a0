package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pngBytes is the smallest valid PNG header nbtool needs to accept an image.
var pngBytes = []byte("\x89PNG\r\n\x1a\n rest of the image")

func notebookWith(cells string) string {
	return `{"cells": [` + cells + `], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
}

func TestCheck(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(pngBytes)
	tests := []struct {
		name     string
		notebook string
		want     []string // substrings of the problems, in order; none: clean
	}{
		{"clean", notebookWith(`
			{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# title"},
			{"cell_type": "code", "id": "b", "execution_count": 1, "metadata": {"tags": ["gallery:chart"]},
			 "outputs": [{"output_type": "display_data", "data": {"image/png": "` + png + `"}, "metadata": {}}],
			 "source": ["%%\n", "show()"]}`), nil},
		{"no id", notebookWith(`{"cell_type": "markdown", "metadata": {}, "source": "x"}`),
			[]string{"cell 1: no cell id"}},
		{"not executed", notebookWith(`{"cell_type": "code", "id": "c", "execution_count": null, "metadata": {}, "outputs": [], "source": "x := 1"}`),
			[]string{"cell 1 (c): not executed"}},
		{"error", notebookWith(`{"cell_type": "code", "id": "c", "execution_count": 1, "metadata": {},
			"outputs": [{"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": ["\u001b[31mpanic\u001b[0m: boom"]}],
			"source": "panic(\"boom\")"}`),
			[]string{"cell 1 (c): ERROR: exit status 2\n    panic(\"boom\")\n    panic: boom"}},
		{"stderr", notebookWith(`{"cell_type": "code", "id": "c", "execution_count": 1, "metadata": {},
			"outputs": [{"output_type": "stream", "name": "stderr", "text": ["exit status 1\n"]}], "source": "!*false"}`),
			[]string{"cell 1 (c): wrote to stderr:\n    !*false\n    exit status 1"}},
		{"gallery without a chart", notebookWith(`{"cell_type": "code", "id": "c", "execution_count": 1,
			"metadata": {"tags": ["gallery:chart"]}, "outputs": [], "source": "x"}`),
			[]string{"gallery:chart: the cell drew no PNG image"}},
		{"a path of this machine", notebookWith(`{"cell_type": "code", "id": "c", "execution_count": 1, "metadata": {},
			"outputs": [{"output_type": "stream", "name": "stdout", "text": "open /home/me/poolsim/x.toml"}], "source": "x"}`),
			[]string{`contains "/home/me/", a path of this machine`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nb.ipynb")
			if err := os.WriteFile(path, []byte(tt.notebook), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := checkFile(path, []string{"/home/me/"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q, want %d matching %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestGallery(t *testing.T) {
	dir := t.TempDir()
	png := base64.StdEncoding.EncodeToString(pngBytes)
	// nbformat may split the base64 text into a list of lines.
	nb := notebookWith(`{"cell_type": "code", "id": "c", "execution_count": 1, "metadata": {"tags": ["gallery:chart"]},
		"outputs": [{"output_type": "display_data", "data": {"image/png": ["` + png[:8] + `\n", "` + png[8:] + `"]}, "metadata": {}}],
		"source": "x"}`)
	path := filepath.Join(dir, "nb.ipynb")
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "gallery")
	stale := filepath.Join(out, "old.png")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, pngBytes, 0o644); err != nil {
		t.Fatal(err)
	}

	var log bytes.Buffer
	if err := run([]string{"gallery", "-prune", "-o", out, path}, &log); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(out, "chart.png")); err != nil || !bytes.Equal(got, pngBytes) {
		t.Errorf("chart.png = %q, %v; want the cell's image", got, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("-prune left %s", stale)
	}
	if want := "wrote chart.png\nremoved old.png\n"; log.String() != want {
		t.Errorf("log = %q, want %q", log.String(), want)
	}

	// A second run has nothing to do.
	log.Reset()
	if err := run([]string{"gallery", "-o", out, path}, &log); err != nil {
		t.Fatal(err)
	}
	if log.Len() != 0 {
		t.Errorf("second run wrote %q, want nothing", log.String())
	}
}
