package objstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3 store lives and how to reach it.
type S3Config struct {
	// Endpoint is the server's host:port, without a scheme
	// ("s3.eu-west-1.amazonaws.com", "127.0.0.1:8333").
	Endpoint string
	// Bucket must exist; the store never creates it.
	Bucket string
	// Prefix is the key prefix under which the store's objects live
	// ("lake/prod"); empty means the whole bucket. Leading and trailing
	// slashes are ignored.
	Prefix string
	// AccessKey and SecretKey are static credentials (AWS signature v4).
	AccessKey string
	SecretKey string
	// Secure selects HTTPS.
	Secure bool
	// Region is the bucket's region; empty lets the client ask the server.
	Region string
}

// Tuning of the S3 store.
const (
	// s3SpillBytes is how much of an object being created is held in
	// memory; beyond it the bytes go to a local temporary file, so that a
	// writer never holds more than this in memory.
	s3SpillBytes = 4 << 20
	// s3PartBytes is the part size of multipart uploads, used for objects
	// larger than one part.
	s3PartBytes = 16 << 20
	// s3BlockBytes is the size of the read-ahead block a reader keeps.
	s3BlockBytes = 256 << 10
	// s3ConflictRetries bounds the retries of a conditional PUT that the
	// server refused because another conditional write of the same key was
	// in progress (HTTP 409).
	s3ConflictRetries = 8
	// s3PutTokenMeta is the user metadata that tags each PutIfAbsent
	// request, so that a request whose answer was lost can tell whether it
	// created the object itself.
	s3PutTokenMeta = "Ledgerline-Put-Token"
)

// S3 is a Store in a bucket of an S3-compatible object store, under a key
// prefix. See the package documentation for the guarantees it relies on.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

var _ Store = (*S3)(nil)

// NewS3 returns a Store in cfg.Bucket under cfg.Prefix. It checks that the
// bucket exists (an error matching fs.ErrNotExist if not) and that the
// credentials are accepted.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("objstore: s3: no endpoint")
	}
	if strings.Contains(cfg.Endpoint, "://") || strings.Contains(cfg.Endpoint, "/") {
		return nil, fmt.Errorf("objstore: s3: endpoint %q must be host:port, without scheme or path", cfg.Endpoint)
	}
	if cfg.Bucket == "" {
		return nil, errors.New("objstore: s3: no bucket")
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		if err := CheckName(prefix); err != nil {
			return nil, fmt.Errorf("objstore: s3: prefix: %w", err)
		}
		prefix += "/"
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("objstore: s3 client for %s: %w", cfg.Endpoint, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("objstore: s3: bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("objstore: s3: bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, fs.ErrNotExist)
	}
	return &S3{client: client, bucket: cfg.Bucket, prefix: prefix}, nil
}

// String names the store as an s3:// URL.
func (s *S3) String() string {
	return "s3://" + s.bucket + "/" + strings.TrimSuffix(s.prefix, "/")
}

func (s *S3) key(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	return s.prefix + name, nil
}

// s3Code is the S3 error code of err ("" when err is not an S3 error).
func s3Code(err error) string {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		return er.Code
	}
	return ""
}

// s3Status is the HTTP status of an S3 error (0 when err is not one).
func s3Status(err error) int {
	var er minio.ErrorResponse
	if errors.As(err, &er) {
		return er.StatusCode
	}
	return 0
}

func isS3NotFound(err error) bool {
	switch s3Code(err) {
	case minio.NoSuchKey, "NotFound":
		return true
	}
	return s3Status(err) == http.StatusNotFound && s3Code(err) != minio.NoSuchBucket
}

// Create implements Store. The bytes are held in memory up to a few MiB
// and in a local temporary file beyond; Commit uploads them with one PUT
// (or a multipart upload for large objects), and S3 makes an object
// visible only once its upload is complete. Nothing is stored in the
// bucket before Commit.
func (s *S3) Create(ctx context.Context, name string) (Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	return &s3Writer{ctx: ctx, s: s, key: key, name: name}, nil
}

// PutIfAbsent implements Store with a conditional PUT (If-None-Match: *),
// which the server evaluates atomically with the write: of concurrent
// requests for one key exactly one succeeds and the others fail with 412
// Precondition Failed. Each request carries a random token in its user
// metadata; when a request fails ambiguously (a lost answer, a retry
// refused because the first attempt had succeeded), the object's token
// tells whether this call created it.
func (s *S3) PutIfAbsent(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	token, err := newToken()
	if err != nil {
		return fmt.Errorf("objstore: put %s: %w", name, err)
	}
	return s.putIfAbsent(ctx, name, data, token)
}

// putIfAbsent is PutIfAbsent with the request's token; a request repeated
// with the same token after it succeeded succeeds again.
func (s *S3) putIfAbsent(ctx context.Context, name string, data []byte, token string) error {
	key, err := s.key(name)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{
		ContentType:  "application/octet-stream",
		UserMetadata: map[string]string{s3PutTokenMeta: token},
	}
	opts.SetMatchETagExcept("*")
	backoff := 20 * time.Millisecond
	for attempt := 0; ; attempt++ {
		_, err = s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), opts)
		if err == nil {
			return nil
		}
		// 409: another conditional write of the key is in progress; its
		// outcome decides, so ask again.
		if s3Status(err) == http.StatusConflict && attempt < s3ConflictRetries {
			select {
			case <-ctx.Done():
				return fmt.Errorf("objstore: put %s: %w", name, ctx.Err())
			case <-time.After(backoff):
			}
			backoff *= 2
			continue
		}
		break
	}
	mine, statErr := s.hasToken(ctx, key, token)
	if statErr == nil && mine {
		return nil
	}
	if s3Code(err) == minio.PreconditionFailed || s3Status(err) == http.StatusPreconditionFailed {
		return fmt.Errorf("objstore: put %s: %w", name, fs.ErrExist)
	}
	return fmt.Errorf("objstore: put %s: %w", name, err)
}

// hasToken reports whether the object at key was created by the
// PutIfAbsent call that used token.
func (s *S3) hasToken(ctx context.Context, key, token string) (bool, error) {
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return false, err
	}
	for k, v := range info.UserMetadata {
		if strings.EqualFold(k, s3PutTokenMeta) || strings.EqualFold(k, "X-Amz-Meta-"+s3PutTokenMeta) {
			return v == token, nil
		}
	}
	return false, nil
}

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Open implements Store. The reader reads the version of the object that
// existed at Open: every read is a ranged GET conditional on the ETag seen
// then, and fails with an error matching fs.ErrNotExist if the object was
// deleted or replaced since.
func (s *S3) Open(ctx context.Context, name string) (Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, err := s.key(name)
	if err != nil {
		return nil, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if isS3NotFound(err) {
		return nil, fmt.Errorf("objstore: open %s: %w", name, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("objstore: open %s: %w", name, err)
	}
	return &s3Reader{ctx: ctx, s: s, key: key, name: name, etag: info.ETag, size: info.Size}, nil
}

// List implements Store with a delimited listing of the directory's
// prefix: objects are its files, common prefixes its directories.
func (s *S3) List(ctx context.Context, dir string) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prefix := s.prefix
	if dir != "" {
		k, err := s.key(dir)
		if err != nil {
			return nil, err
		}
		prefix = k + "/"
	}
	var out []Entry
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix}) {
		if obj.Err != nil {
			if s3Code(obj.Err) == minio.NoSuchKey {
				return nil, nil
			}
			return nil, fmt.Errorf("objstore: list %s: %w", dir, obj.Err)
		}
		rest := strings.TrimPrefix(obj.Key, prefix)
		if rest == "" {
			continue // a directory marker object
		}
		if strings.HasSuffix(rest, "/") {
			name := strings.TrimSuffix(rest, "/")
			if name == "" || strings.Contains(name, "/") {
				continue
			}
			out = append(out, Entry{Name: name, Dir: true})
			continue
		}
		if strings.Contains(rest, "/") {
			continue
		}
		out = append(out, Entry{Name: rest, Size: obj.Size, ModTime: obj.LastModified})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, err := s.key(name)
	if err != nil {
		return err
	}
	err = s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && !isS3NotFound(err) {
		return fmt.Errorf("objstore: delete %s: %w", name, err)
	}
	return nil
}

// s3Writer buffers an object in memory, spilling to a temporary file, until
// Commit uploads it.
type s3Writer struct {
	ctx  context.Context
	s    *S3
	key  string
	name string

	mem  bytes.Buffer
	file *os.File      // set once the object outgrew s3SpillBytes
	buf  *bufio.Writer // buffers writes to file
	size int64
	done bool
}

func (w *s3Writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, fmt.Errorf("objstore: write %s: writer closed", w.name)
	}
	if w.file == nil && w.mem.Len()+len(p) > s3SpillBytes {
		if err := w.spill(); err != nil {
			return 0, err
		}
	}
	var n int
	var err error
	if w.file != nil {
		n, err = w.buf.Write(p)
	} else {
		n, err = w.mem.Write(p)
	}
	w.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("objstore: write %s: %w", w.name, err)
	}
	return n, nil
}

// spill moves the bytes held in memory to a new temporary file.
func (w *s3Writer) spill() error {
	f, err := os.CreateTemp("", "ledgerline-s3-upload-*")
	if err != nil {
		return fmt.Errorf("objstore: write %s: %w", w.name, err)
	}
	w.file = f
	w.buf = bufio.NewWriterSize(f, 1<<20)
	if _, err := w.buf.Write(w.mem.Bytes()); err != nil {
		return fmt.Errorf("objstore: write %s: %w", w.name, err)
	}
	w.mem = bytes.Buffer{}
	return nil
}

func (w *s3Writer) Commit() error {
	if w.done {
		return fmt.Errorf("objstore: commit %s: writer closed", w.name)
	}
	w.done = true
	defer w.release()
	var body io.Reader = bytes.NewReader(w.mem.Bytes())
	if w.file != nil {
		if err := w.buf.Flush(); err != nil {
			return fmt.Errorf("objstore: write %s: %w", w.name, err)
		}
		body = io.NewSectionReader(w.file, 0, w.size)
	}
	_, err := w.s.client.PutObject(w.ctx, w.s.bucket, w.key, body, w.size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		PartSize:    s3PartBytes,
		NumThreads:  1,
	})
	if err != nil {
		return fmt.Errorf("objstore: upload %s: %w", w.name, err)
	}
	return nil
}

func (w *s3Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.release()
}

// release drops the buffered bytes.
func (w *s3Writer) release() error {
	w.mem = bytes.Buffer{}
	if w.file == nil {
		return nil
	}
	name := w.file.Name()
	w.file.Close()
	w.file = nil
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("objstore: remove upload buffer of %s: %w", w.name, err)
	}
	return nil
}
