package tomlin

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Suggest returns the known name closest to s when it is close enough to
// be a misspelling (or differs only in case), else "". Names whose length
// differs from s by more than the allowed edits are not compared, so a long
// list costs little.
func Suggest(s string, known []string) string {
	limit := 1
	n := utf8.RuneCountInString(s)
	if n >= 5 {
		limit = 2
	}
	if n >= 10 {
		limit = 3
	}
	best, bestDist := "", limit+1
	ls := strings.ToLower(s)
	for _, k := range known {
		if strings.EqualFold(k, s) {
			return k
		}
		if d := utf8.RuneCountInString(k) - n; d > limit || -d > limit {
			continue
		}
		if dist := editDistance(ls, strings.ToLower(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (with adjacent
// transpositions) between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 64
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// DidYouMean is the hint for a name that is not one of known:
// `; did you mean "x"?`, or "".
func DidYouMean(s string, known []string) string {
	if k := Suggest(s, known); k != "" {
		return fmt.Sprintf("; did you mean %q?", k)
	}
	return ""
}

// MaxListed bounds the names a message lists.
const MaxListed = 20

// QuoteList formats names as "a", "b", "c"; past MaxListed names, the
// first ones and a count.
func QuoteList(names []string) string {
	shown := names[:min(len(names), MaxListed)]
	q := make([]string, len(shown))
	for i, n := range shown {
		q[i] = strconv.Quote(n)
	}
	s := strings.Join(q, ", ")
	if len(names) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	return s
}

// TypeName names the TOML type of a decoded value, for messages: "a
// string", "an integer".
func TypeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		switch v.Location().String() {
		case "time-local":
			return "a time"
		case "date-local":
			return "a date"
		}
		return "a datetime"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}

// Want is the message for a value of the wrong type: "want WHAT, got a
// string". Scenarios and experiments say it in these words.
func Want(what string, v any) string { return "want " + what + ", got " + TypeName(v) }

// SortedKeys returns the keys of m in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Shorten cuts a value's text for a message to at most 80 bytes, on a
// character boundary.
func Shorten(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 77
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
