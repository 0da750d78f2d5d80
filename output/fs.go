package output

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// tmpSuffix ends the name of every temporary file this package writes.
const tmpSuffix = ".tmp"

// writeFileAtomic writes data to a temporary file next to path, syncs it and
// renames it over path, then syncs the folder, so that path holds either
// its old content or data, never a part.
func writeFileAtomic(path string, data []byte) error {
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// createTemp creates the temporary file that will become path. Results are
// for sharing, so it is readable by all (os.CreateTemp would make it 0600).
func createTemp(path string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*"+tmpSuffix)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// syncDir makes the renames in dir durable. File systems that cannot sync a
// folder are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// syncFile is an *os.File whose Close syncs first. The Parquet writer closes
// its sink itself, so this is where the sync goes.
type syncFile struct{ f *os.File }

func (s syncFile) Write(p []byte) (int, error) { return s.f.Write(p) }

func (s syncFile) Close() error {
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}
