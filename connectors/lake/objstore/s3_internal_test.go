package objstore

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/lake/objstore/s3test"
)

// TestS3PutIfAbsentRecognisesItsOwnWrite repeats a conditional PUT with the
// same token, as the client does when the answer to a successful request
// is lost: the repeat must report success, a different writer a taken name.
func TestS3PutIfAbsentRecognisesItsOwnWrite(t *testing.T) {
	cfg, err := S3ConfigFromEnv(s3test.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.putIfAbsent(ctx, "m/1.json", []byte("a"), "token-a"); err != nil {
		t.Fatal(err)
	}
	if err := st.putIfAbsent(ctx, "m/1.json", []byte("a"), "token-a"); err != nil {
		t.Fatalf("repeated request: %v, want success", err)
	}
	if err := st.putIfAbsent(ctx, "m/1.json", []byte("a"), "token-b"); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("other writer with the same bytes: %v, want fs.ErrExist", err)
	}
	// An object published by Create has no token: taken for every writer.
	w, err := st.Create(ctx, "m/2.json")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("b"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := st.putIfAbsent(ctx, "m/2.json", []byte("b"), ""); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("put over a created object with an empty token: %v, want fs.ErrExist", err)
	}
}
