package configs

import (
	"regexp"
	"strings"
)

// go-toml reports a key or table defined twice without a position; these
// find the line of the second definition.
var (
	dupKey   = regexp.MustCompile(`^toml: key (\S+) is already defined`)
	dupTable = regexp.MustCompile(`^toml: table (\S+) already exists`)
)

// duplicateLine returns the line (from 1) of the second definition that
// go-toml's message msg names, or 0 when it cannot tell.
func duplicateLine(data []byte, msg string) int {
	lines := strings.Split(string(data), "\n")
	if m := dupTable.FindStringSubmatch(msg); m != nil {
		header := regexp.MustCompile(`^\s*\[\s*` + regexp.QuoteMeta(m[1]) + `\s*\]`)
		seen := false
		for i, l := range lines {
			if header.MatchString(l) {
				if seen {
					return i + 1
				}
				seen = true
			}
		}
		return 0
	}
	m := dupKey.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	key := regexp.QuoteMeta(m[1])
	top := regexp.MustCompile(`^\s*"?` + key + `"?\s*=`)
	inline := regexp.MustCompile(`[{,]\s*"?` + key + `"?\s*=`)
	seen := false // at the top level of the current table
	for i, l := range lines {
		l = stripComment(l)
		if strings.HasPrefix(strings.TrimSpace(l), "[") {
			seen = false
			continue
		}
		if len(inline.FindAllStringIndex(l, -1)) >= 2 {
			return i + 1 // twice in one inline table
		}
		if top.MatchString(l) {
			if seen {
				return i + 1
			}
			seen = true
		}
	}
	return 0
}

// stripComment cuts a line at a # outside quotes.
func stripComment(l string) string {
	var quote rune
	for i, r := range l {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		case quote == 0 && r == '#':
			return l[:i]
		}
	}
	return l
}
