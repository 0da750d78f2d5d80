package param

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
)

// positional rewrites the keyword arguments of NEST's functions as
// positional ones, which is all expr-lang parses: in
// spatial_distributions.gaussian(spatial.distance, std=0.2) the call's
// arguments become "spatial.distance, 0, 0.2". The rest of the text stays as
// written, and so does text without keyword arguments, or that the lexer
// rejects (the parser then says why).
//
// It works on expr-lang's tokens, so that "==", "<=", ">=" and "!=" are no
// keywords, and reads a keyword only where an argument starts: a name
// followed by "=" just after the "(" of a call or a comma of its own.
func positional(src string) (string, error) {
	toks, err := lexer.Lex(file.NewSource(src))
	if err != nil || !slices.ContainsFunc(toks, func(t lexer.Token) bool { return t.Is(lexer.Operator, "=") }) {
		return src, nil
	}
	r := &rewriter{src: []rune(src), toks: toks}
	var b strings.Builder
	from := 0
	for {
		text, err := r.group(from, false)
		if err != nil {
			return "", err
		}
		b.WriteString(text)
		if r.toks[r.i].Kind == lexer.EOF {
			return b.String(), nil
		}
		from = r.start(r.i) // an unmatched closing bracket: the parser reports it
		r.i++
	}
}

// rewriter walks the tokens of src (locations in runes); toks[i] is next.
type rewriter struct {
	src  []rune
	toks []lexer.Token
	i    int
}

// start returns the offset at which toks[i] starts (the end of src for EOF).
func (r *rewriter) start(i int) int {
	if r.toks[i].Kind == lexer.EOF {
		return len(r.src)
	}
	return r.toks[i].From
}

// group returns the text from offset from up to the next closing bracket
// of its level, or comma too when args is set, or EOF, with the calls in it
// rewritten; toks[i] is then that token.
func (r *rewriter) group(from int, args bool) (string, error) {
	var b strings.Builder
	for {
		t := r.toks[r.i]
		if t.Kind == lexer.EOF || t.Is(lexer.Bracket, ")", "]", "}") || args && t.Is(lexer.Operator, ",") {
			b.WriteString(string(r.src[from:r.start(r.i)]))
			return b.String(), nil
		}
		r.i++
		if t.Kind != lexer.Bracket {
			continue
		}
		var inner string
		var err error
		if name := r.callee(r.i - 1); t.Value == "(" && name != "" {
			inner, err = r.call(name, t.To)
		} else {
			inner, err = r.group(t.To, false)
		}
		if err != nil {
			return "", err
		}
		b.WriteString(string(r.src[from:t.To]))
		b.WriteString(inner)
		from = r.start(r.i)
		if r.toks[r.i].Kind != lexer.EOF {
			r.i++ // the closing bracket, copied with what follows
		}
	}
}

// callee returns the dotted name before the bracket toks[i], or "".
func (r *rewriter) callee(i int) string {
	var parts []string
	for j := i - 1; j >= 0 && r.toks[j].Kind == lexer.Identifier; j -= 2 {
		parts = append([]string{r.toks[j].Value}, parts...)
		if j == 0 || !r.toks[j-1].Is(lexer.Operator, ".") {
			break
		}
	}
	return strings.Join(parts, ".")
}

// call returns the arguments of a call of name, from offset from (after
// its "(") to its ")", the keyword ones made positional.
func (r *rewriter) call(name string, from int) (string, error) {
	var texts, keys []string // each argument as written; its keyword or ""
	for {
		key := ""
		if r.toks[r.i].Kind == lexer.Identifier && r.toks[r.i+1].Is(lexer.Operator, "=") {
			key, from = r.toks[r.i].Value, r.toks[r.i+1].To
			r.i += 2
		}
		text, err := r.group(from, true)
		if err != nil {
			return "", err
		}
		texts, keys = append(texts, text), append(keys, key)
		if !r.toks[r.i].Is(lexer.Operator, ",") {
			break
		}
		from = r.toks[r.i].To
		r.i++
	}
	if !slices.ContainsFunc(keys, func(k string) bool { return k != "" }) {
		return strings.Join(texts, ","), nil
	}
	return arrange(name, texts, keys)
}

// arrange puts the arguments of a call in NEST's order: the positional ones
// first, then the keywords in their places, the skipped ones before the last
// given taking NEST's defaults.
func arrange(name string, texts, keys []string) (string, error) {
	f, ok := lookup(name)
	switch {
	case !ok:
		return "", unknownFunction(name)
	case !f.keywords:
		return "", fmt.Errorf("%s takes no keyword arguments: give them in order (%s)", name, strings.Join(f.args, ", "))
	}
	args := make([]string, len(f.args))
	n, last := 0, -1 // positional arguments; the last argument given
	for i, text := range texts {
		j := n
		switch text = strings.TrimSpace(text); {
		case text == "" && keys[i] != "":
			return "", fmt.Errorf("%s: argument %s has no value", name, keys[i])
		case text == "":
			return "", fmt.Errorf("%s: an argument is empty", name)
		case keys[i] == "" && i > n:
			return "", fmt.Errorf("%s: a positional argument follows a keyword argument", name)
		case keys[i] == "" && n == len(f.args):
			return "", f.tooMany(name, len(texts))
		case keys[i] == "":
			n++
		default:
			if j = slices.Index(f.args, keys[i]); j < 0 {
				return "", &NameError{Name: keys[i], Func: name, Known: slices.Clone(f.args)}
			}
			if args[j] != "" {
				return "", fmt.Errorf("%s: argument %s given twice", name, keys[i])
			}
		}
		args[j] = text
		last = max(last, j)
	}
	for j := range last {
		if args[j] == "" {
			if math.IsNaN(f.defaults[j]) {
				return "", f.missing(name, j)
			}
			args[j] = number(f.defaults[j])
		}
	}
	return strings.Join(args[:last+1], ", "), nil
}

// number writes x as the shortest literal that reads back as x, in
// parentheses when negative, so that it is one operand wherever it stands
// ("(-2)**2", "-(-2)").
func number(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if math.Signbit(x) {
		return "(" + s + ")"
	}
	return s
}
