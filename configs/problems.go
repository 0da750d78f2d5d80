package configs

import (
	"fmt"
	"sort"
	"strings"
)

// maxProblems is how many problems one error lists before it summarises
// the rest.
const maxProblems = 20

// problems collects what is wrong with a config, each as "path: message".
type problems struct{ list []string }

func (p *problems) add(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	p.list = append(p.list, msg)
}

func (p *problems) addErr(path string, err error) { p.add(path, "%s", err.Error()) }

func (p *problems) empty() bool { return len(p.list) == 0 }

// errorList is the error Load returns: one problem a line, each starting
// with the file name (and the sweep point, where one point is concerned).
type errorList []string

func (e errorList) Error() string {
	if len(e) > maxProblems {
		return strings.Join(e[:maxProblems], "\n") + fmt.Sprintf("\n... and %d more problems", len(e)-maxProblems)
	}
	return strings.Join(e, "\n")
}

// newError prefixes every problem with the file name; control characters
// that a config's text brings into a message become spaces, so that each
// problem stays one line.
func newError(file string, list []string) error {
	out := make(errorList, len(list))
	for i, m := range list {
		out[i] = file + ": " + oneLine(m)
	}
	return out
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// suggest returns " (did you mean X?)" when one of the candidates is close
// to name (a small edit distance, or one starts with the other), compared
// without regard to case, and "" otherwise.
func suggest(name string, candidates []string) string {
	best, bestD := "", -1
	ln := strings.ToLower(name)
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		d := editDistance(ln, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(name))/3)
	if bestD >= 0 && bestD <= limit && bestD < len([]rune(name)) {
		return " (did you mean " + best + "?)"
	}
	if len(ln) >= 4 {
		for _, c := range sorted {
			lc := strings.ToLower(c)
			if strings.HasPrefix(lc, ln) || strings.HasPrefix(ln, lc) {
				return " (did you mean " + c + "?)"
			}
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
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
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// describe renders a raw TOML value for "got …" in messages.
func describe(raw any) string {
	switch v := raw.(type) {
	case nil:
		return "nothing"
	case string:
		if v == "" {
			return `""`
		}
		return v
	case bool:
		return fmt.Sprint(v)
	case int64:
		return fmt.Sprint(v)
	case float64:
		return fmt.Sprintf("%g", v)
	case map[string]any:
		return "a table"
	case []any:
		return "a list"
	default:
		return fmt.Sprintf("%v (a %T)", v, v)
	}
}

// quoteList renders names for "expected one of …" messages.
func quoteList(names []string) string {
	return strings.Join(names, ", ")
}
