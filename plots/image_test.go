package plots

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
)

// Test helpers that read rendered figures back.

// decodePNG decodes a PNG and checks its size.
func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 700 {
		t.Fatalf("image is %d × %d, want 1000 × 700", b.Dx(), b.Dy())
	}
	return img
}

// inked counts the pixels that are not white.
func inked(img image.Image) int {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				n++
			}
		}
	}
	return n
}

// black is a pixel of an axis line or of text: every channel below 100
// (the figures' data colours all have a channel above).
func black(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 < 100 && g>>8 < 100 && b>>8 < 100
}

// segment is a horizontal run of black pixels, over one or more rows.
type segment struct{ y0, y1, x0, x1 int }

// axisLines finds the horizontal black lines at least minLen pixels long:
// the x axes, one per panel. Runs on adjacent rows that overlap are one
// line (an anti-aliased line covers two rows).
func axisLines(img image.Image, minLen int) []segment {
	b := img.Bounds()
	var lines []segment
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; {
			if !black(img.At(x, y)) {
				x++
				continue
			}
			x0 := x
			for x < b.Max.X && black(img.At(x, y)) {
				x++
			}
			if x-x0 < minLen {
				continue
			}
			merged := false
			for i := range lines {
				l := &lines[i]
				if l.y1 >= y-1 && x0 < l.x1 && x > l.x0 {
					l.y1, l.x0, l.x1 = y, min(l.x0, x0), max(l.x1, x)
					merged = true
					break
				}
			}
			if !merged {
				lines = append(lines, segment{y, y, x0, x})
			}
		}
	}
	return lines
}

// runs counts the stretches of one colour at least minLen pixels long
// along the pixels at, from p0 in steps of (dx, dy), n pixels.
func runs(img image.Image, x0, y0, dx, dy, n, minLen int) int {
	count, length := 0, 0
	var last color.Color
	for i := 0; i < n; i++ {
		c := img.At(x0+i*dx, y0+i*dy)
		if last != nil && sameColor(c, last) {
			length++
		} else {
			length = 1
		}
		if length == minLen {
			count++
		}
		last = c
	}
	return count
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2
}

// svgTexts parses an SVG (failing the test if it is not well-formed XML)
// and returns the content of its <text> elements.
func svgTexts(t *testing.T, data []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var texts []string
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return texts
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "text" {
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			if e.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += strings.TrimSpace(string(e))
			}
		}
	}
}

// count is how many times s is in list.
func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
