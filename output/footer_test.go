package output

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/metadata"
)

// checkFooter reads the Thrift footer of a Parquet file as the bytes lie
// (magic, length, FileMetaData) and checks the schema rules of the spec
// that readers rely on: the root, schema element 0, has no repetition or
// REQUIRED (Arrow Go's default REPEATED made hyparquet and parquet-go
// v0.27 misread every column), and every other element has one.
func checkFooter(t *testing.T, path string) *metadata.FileMetaData {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := len(data)
	if n < 12 || !bytes.Equal(data[:4], []byte("PAR1")) || !bytes.Equal(data[n-4:], []byte("PAR1")) {
		t.Fatalf("%s: not a Parquet file", path)
	}
	size := int(binary.LittleEndian.Uint32(data[n-8 : n-4]))
	if size <= 0 || size > n-12 {
		t.Fatalf("%s: footer of %d bytes in a file of %d", path, size, n)
	}
	md, err := metadata.NewFileMetaData(data[n-8-size:n-8], nil)
	if err != nil {
		t.Fatalf("%s: footer: %v", path, err)
	}
	elems := md.FileMetaData.Schema
	if len(elems) < 2 {
		t.Fatalf("%s: %d schema elements", path, len(elems))
	}
	const required = 0 // FieldRepetitionType REQUIRED
	if root := elems[0]; root.IsSetRepetitionType() && int(root.GetRepetitionType()) != required {
		t.Errorf("%s: schema root %q has repetition %v, want none or REQUIRED", path, root.GetName(), root.GetRepetitionType())
	}
	if !elems[0].IsSetNumChildren() || int(elems[0].GetNumChildren()) != len(elems)-1 {
		t.Errorf("%s: the root has %d children, the schema %d columns", path, elems[0].GetNumChildren(), len(elems)-1)
	}
	for _, e := range elems[1:] {
		if !e.IsSetRepetitionType() {
			t.Errorf("%s: column %q has no repetition", path, e.GetName())
		}
	}
	return md
}

// checkDictionaryEncoded checks that every data page of the named columns
// of a Parquet file is dictionary-encoded: the writer kept one dictionary
// per column chunk rather than falling back to plain values.
func checkDictionaryEncoded(t *testing.T, path string, columns ...string) {
	t.Helper()
	md := checkFooter(t, path)
	const dictionaryPage = 2 // Thrift PageType DICTIONARY_PAGE
	for _, col := range columns {
		pages := 0
		for rg := range md.FileMetaData.RowGroups {
			g := md.RowGroup(rg)
			for c := 0; c < g.NumColumns(); c++ {
				cc, err := g.ColumnChunk(c)
				if err != nil {
					t.Fatal(err)
				}
				if cc.PathInSchema().String() != col {
					continue
				}
				for _, s := range cc.EncodingStats() {
					if int(s.PageType) == dictionaryPage {
						continue
					}
					pages++
					if s.Encoding != parquet.Encodings.RLEDict && s.Encoding != parquet.Encodings.PlainDict {
						t.Errorf("%s: row group %d of column %s has %v data pages", path, rg, col, s.Encoding)
					}
				}
			}
		}
		if pages == 0 && md.NumRows > 0 {
			t.Errorf("%s: no data page of column %s", path, col)
		}
	}
}
