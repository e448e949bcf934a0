package report

import (
	"bytes"
	"html/template"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/poolsim/poolsim/plots"
)

// File is the name of the report in its directory.
const File = "report.html"

// page is what the template shows; sweep and run reports fill what they
// have.
type page struct {
	Title    string
	Question template.HTML
	Text     []template.HTML // paragraphs (or lists) of the description
	Headline template.HTML
	Verdict  []template.HTML
	Basis    string
	Warnings []template.HTML
	Table    *grid
	Charts   []chart
	// Scenario as run.
	Assumptions    []Assumption
	ScenarioName   string
	ScenarioSource template.HTML
	Experiment     string
	Facts          [][2]string // provenance: name, value
	Command        string
}

// grid is a table of values.
type grid struct {
	Caption string
	Head    []template.HTML
	Rows    [][]template.HTML
}

// chart is a chart inlined as SVG with its caption and footnote.
type chart struct {
	SVG     template.HTML
	Title   string
	Caption string
	Note    string
}

// figure renders a chart for the page.
func figure(f *plots.Figure) (chart, error) {
	var b bytes.Buffer
	if err := plots.SVG(&b, f, plots.Width, plots.Height); err != nil {
		return chart{}, err
	}
	return chart{SVG: inlineSVG(b.Bytes()), Title: f.Title.Text, Caption: f.Caption, Note: f.Note}, nil
}

var svgSize = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)

// inlineSVG drops the XML prolog of an SVG document and lets it scale to
// the page's width.
func inlineSVG(svg []byte) template.HTML {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	s = svgSize.ReplaceAllString(s, `<svg role="img" width="100%" preserveAspectRatio="xMidYMid meet"`)
	return template.HTML(s)
}

var backquoted = regexp.MustCompile("`([^`]*)`")

// prose escapes text and sets `names` in code type.
func prose(s string) template.HTML {
	return template.HTML(backquoted.ReplaceAllString(template.HTMLEscapeString(s), "<code>$1</code>"))
}

// paragraphs renders the paragraphs of a description, runs of "- " items
// as a list.
func paragraphs(paras []string) []template.HTML {
	var out []template.HTML
	var items []string
	flush := func() {
		if len(items) > 0 {
			out = append(out, template.HTML("<ul><li>"+strings.Join(items, "</li><li>")+"</li></ul>"))
			items = nil
		}
	}
	for _, p := range paras {
		if item, ok := strings.CutPrefix(p, "- "); ok {
			items = append(items, string(prose(item)))
			continue
		}
		flush()
		out = append(out, "<p>"+prose(p)+"</p>")
	}
	flush()
	return out
}

// writePage renders the page into dir/report.html, atomically.
func writePage(dir string, p *page) (string, error) {
	var b bytes.Buffer
	if err := render(&b, p); err != nil {
		return "", err
	}
	if err := writeFile(dir, File, b.Bytes()); err != nil {
		return "", err
	}
	return filepath.Join(dir, File), nil
}

func render(w io.Writer, p *page) error {
	return tmpl.Execute(w, p)
}

var tmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="poolsim report">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.5 "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.question { font-size: 1.1rem; color: #444; }
.answer { background: #f3f7fb; border-left: 4px solid #4e79a7; padding: .6rem 1rem; margin: 1rem 0; }
.answer .headline { font-weight: bold; font-size: 1.05rem; }
.basis, .note, figcaption .note { color: #555; font-size: .9rem; }
.warnings { background: #fff7e0; border-left: 4px solid #edc948; padding: .4rem 1rem; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font-family: "Liberation Mono", Consolas, monospace; font-size: .85rem; }
pre { background: #f7f7f7; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
mark { background: #ffe9a8; }
figure { margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #eee; }
figcaption { margin-top: .3rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } details { display: block; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Question}}<p class="question">{{.}}</p>{{end}}
{{range .Text}}{{.}}
{{end}}
<section class="answer" id="answer">
<h2 style="border:0;margin-top:0">The answer</h2>
{{with .Headline}}<p class="headline">{{.}}</p>{{end}}
{{with .Verdict}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Basis}}<p class="basis">{{.}}</p>{{end}}
</section>
{{with .Warnings}}<section class="warnings" id="warnings"><h2 style="border:0;margin-top:.3rem">Warnings</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul></section>{{end}}
{{with .Table}}<h2 id="table">{{.Caption}}</h2>
<table>
<thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}{{.}}{{end}}</tr>
{{end}}</tbody>
</table>{{end}}
{{with .Charts}}<h2 id="charts">Charts</h2>
{{range .}}<figure>
{{.SVG}}
<figcaption><strong>{{.Title}}.</strong> {{.Caption}}{{with .Note}} <span class="note">({{.}})</span>{{end}}</figcaption>
</figure>
{{end}}{{end}}
<h2 id="scenario">The scenario as run</h2>
{{with .Assumptions}}<p>Values that are poolsim's assumptions rather than settings of the server modelled:</p>
<table><thead><tr><th>key</th><th>value</th><th></th><th>why it is an assumption</th></tr></thead><tbody>
{{range .}}<tr><td><code>{{.Key}}</code></td><td><code>{{.Value}}</code></td><td>{{if .Written}}set in the scenario{{else}}poolsim's default{{end}}</td><td>{{.Why}}</td></tr>
{{end}}</tbody></table>{{end}}
<p><code>{{.ScenarioName}}</code>{{if .Assumptions}} (lines setting an assumption are marked){{end}}:</p>
<pre>{{.ScenarioSource}}</pre>
{{with .Experiment}}<details><summary>The experiment file as run</summary><pre>{{.}}</pre></details>{{end}}
<h2 id="reproduce">Reproducing it</h2>
<table>{{range .Facts}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
<p>The same files, version and command give byte-identical results:</p>
<pre>{{.Command}}</pre>
</body>
</html>
`))
