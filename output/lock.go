package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockFile is the file of a run's folder whose flock marks the folder in
// use. It holds the PID of the process that has it, for the message the
// others get.
const lockFile = ".lock"

// folderLock is an exclusive flock on a folder's lock file, held until
// release. The kernel drops it when the process dies, however it dies.
type folderLock struct {
	f    *os.File
	path string
}

// lockFolder takes the lock of dir without waiting; a folder already locked
// is refused with the holder's PID.
func lockFolder(dir string) (*folderLock, error) {
	path := filepath.Join(dir, lockFile)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			defer f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, inUse(dir, holder(f))
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// A holder removes the file before it lets go (release): if ours
		// is no longer the file at path, lock the one there now.
		if sameFile(f, path) {
			l := &folderLock{f: f, path: path}
			if err := l.writePID(); err != nil {
				l.release()
				return nil, err
			}
			return l, nil
		}
		f.Close()
	}
}

// holder reads the PID in a lock file that another process holds. The
// holder writes it just after it takes the lock: give it a moment.
func holder(f *os.File) string {
	var pid string
	for range 50 {
		b, _ := io.ReadAll(io.NewSectionReader(f, 0, 32))
		if pid = strings.TrimSpace(string(b)); pid != "" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return pid
}

func inUse(dir, pid string) error {
	if _, err := strconv.Atoi(pid); err != nil {
		pid = "(starting)" // the holder has the lock but has not written its PID yet
	}
	return fmt.Errorf("%s is in use by process %s (another run writes there): wait for it to end, or choose another --out", dir, pid)
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

func (l *folderLock) writePID() error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	_, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// release removes the lock file and lets go of the lock, in that order (see
// lockFolder).
func (l *folderLock) release() {
	os.Remove(l.path)
	l.f.Close()
}
