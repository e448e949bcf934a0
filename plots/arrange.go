package plots

import (
	"fmt"
	"slices"
	"strings"
)

// arrangement places the points of a table on a chart: each point gets a
// category (a position along the category axis) and a series (a colour).
type arrangement struct {
	cats    []string // category labels, in axis order
	catOf   []int    // category of each point
	series  []string // series labels, in legend order
	serOf   []int    // series of each point
	heading string   // legend heading: the name of the one series dimension
	ordered bool     // series are ordered numbers (a swept value)
}

// arrange gives every point a category from dimension cat and a series
// from dimension first (if >= 0) and every other dimension that varies,
// except those in skip. Series are labelled with the keys' readable names
// ("recycle age 30m, shutdown time limit 90s") unless raw. Two points with
// the same category and series are an error: the chart would hide one.
func arrange(t *Table, pts []point, dims []string, cat, first int, raw bool, skip ...int) (*arrangement, error) {
	values := func(d int) []string { return dimValues(pts, d) }
	a := &arrangement{catOf: make([]int, len(pts)), serOf: make([]int, len(pts))}

	if cat == 0 { // variants keep the experiment's order
		a.cats = values(cat)
	} else {
		a.cats, _ = sortValues(values(cat))
	}

	serDims := seriesDims(len(dims), values, cat, first, skip)
	rank, ordered := rankValues(serDims, values)
	a.ordered = ordered && len(serDims) == 1
	if len(serDims) == 1 {
		a.heading = keyTitle(dims[serDims[0]], raw)
	}

	keyOf := func(p point) string {
		parts := make([]string, len(serDims))
		for k, d := range serDims {
			parts[k] = p.dims[d]
		}
		return strings.Join(parts, "\x00")
	}
	// Distinct series, sorted by the rank of each dimension's value.
	type ser struct {
		key, label string
		ranks      []int
	}
	var sers []ser
	for _, p := range pts {
		k := keyOf(p)
		if slices.ContainsFunc(sers, func(s ser) bool { return s.key == k }) {
			continue
		}
		r := make([]int, len(serDims))
		for j, d := range serDims {
			r[j] = rank[j][p.dims[d]]
		}
		sers = append(sers, ser{key: k, label: seriesLabel(p, serDims, dims, raw), ranks: r})
	}
	slices.SortStableFunc(sers, func(x, y ser) int { return slices.Compare(x.ranks, y.ranks) })
	for _, s := range sers {
		a.series = append(a.series, s.label)
	}

	seen := map[[2]int]int{}
	for i, p := range pts {
		a.catOf[i] = slices.Index(a.cats, p.dims[cat])
		k := keyOf(p)
		a.serOf[i] = slices.IndexFunc(sers, func(s ser) bool { return s.key == k })
		at := [2]int{a.catOf[i], a.serOf[i]}
		if j, dup := seen[at]; dup {
			return nil, fmt.Errorf("plots: %s rows %d and %d are the same point of the chart (%s)", t.name(), pts[j].row+2, p.row+2, describe(p, dims))
		}
		seen[at] = i
	}
	return a, nil
}

// dimValues returns the distinct values of dimension d among pts, in
// order of first appearance.
func dimValues(pts []point, d int) []string {
	vs := make([]string, len(pts))
	for i, p := range pts {
		vs[i] = p.dims[d]
	}
	return distinct(vs)
}

// seriesDims returns the dimensions that split the series: first (if
// >= 0), then every other dimension of more than one value, except cat
// and those in skip.
func seriesDims(nDims int, values func(d int) []string, cat, first int, skip []int) []int {
	var serDims []int
	if first >= 0 {
		serDims = append(serDims, first)
	}
	for d := range nDims {
		if d == cat || d == first || slices.Contains(skip, d) {
			continue
		}
		if len(values(d)) > 1 {
			serDims = append(serDims, d)
		}
	}
	// A first dimension of one value (the only variant) names nothing when
	// others split the series.
	if first >= 0 && len(serDims) > 1 && len(values(first)) == 1 {
		serDims = serDims[1:]
	}
	return serDims
}

// rankValues orders the values of each series dimension: variants (0) in
// the experiment's order, others sorted. ordered says whether all are
// numbers.
func rankValues(serDims []int, values func(d int) []string) (rank []map[string]int, ordered bool) {
	rank = make([]map[string]int, len(serDims))
	ordered = true
	for k, d := range serDims {
		vs, num := sortValues(values(d))
		if d == 0 {
			vs, num = values(d), false
		}
		ordered = ordered && num
		rank[k] = map[string]int{}
		for i, v := range vs {
			rank[k][v] = i
		}
	}
	return rank, ordered
}

// seriesLabel names p's series: the value alone when one dimension splits
// the series, else "name value" (or "key=value") for each, comma-separated.
func seriesLabel(p point, serDims []int, dims []string, raw bool) string {
	if len(serDims) == 1 {
		return p.dims[serDims[0]]
	}
	parts := make([]string, len(serDims))
	for k, d := range serDims {
		if name := keyTitle(dims[d], raw); name != dims[d] {
			parts[k] = name + " " + p.dims[d]
		} else {
			parts[k] = dims[d] + "=" + p.dims[d]
		}
	}
	return strings.Join(parts, ", ")
}

// describe names a point by its dimensions: "variant=a, key=20".
func describe(p point, dims []string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = d + "=" + p.dims[i]
	}
	return strings.Join(parts, ", ")
}

// dimIndex finds a dimension by name, with an error that lists the table's
// sweep keys.
func dimIndex(t *Table, dims []string, name string) (int, error) {
	if i := slices.Index(dims, name); i >= 0 {
		return i, nil
	}
	keys := t.SweepKeys()
	if len(keys) == 0 {
		return -1, fmt.Errorf("plots: %s has no sweep key %q: it has no sweep keys (only variant)", t.name(), name)
	}
	return -1, fmt.Errorf("plots: %s has no sweep key %q; its sweep keys are: %s", t.name(), name, strings.Join(keys, ", "))
}
