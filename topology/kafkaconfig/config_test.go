package kafkaconfig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOptionsValidatesSettings(t *testing.T) {
	pki := newTestPKI(t)
	dir := t.TempDir()
	passFile := filepath.Join(dir, "password")
	if err := os.WriteFile(passFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(dir, "empty")
	if err := os.WriteFile(emptyFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		cfg      Config
		opts     int    // options returned when valid
		contains string // in the error, when invalid
		is       error  // also matched by the error, when set
	}{
		{name: "plaintext", cfg: Config{}, opts: 0},
		{name: "tls with system roots", cfg: Config{TLS: TLS{Enable: true}}, opts: 1},
		{name: "tls by ca file", cfg: Config{TLS: TLS{CAFile: pki.caFile}}, opts: 1},
		{name: "mutual tls", cfg: Config{TLS: TLS{CAFile: pki.caFile, CertFile: pki.certFile, KeyFile: pki.keyFile, ServerName: "kafka"}}, opts: 1},
		{name: "scram-sha-512 from file", cfg: Config{SASL: SASL{Mechanism: "SCRAM-SHA-512", Username: "u", PasswordFile: passFile}}, opts: 1},
		{name: "lower-case mechanism", cfg: Config{SASL: SASL{Mechanism: "scram-sha-256", Username: "u", Password: "p"}}, opts: 1},
		{name: "plain and tls", cfg: Config{TLS: TLS{CAFile: pki.caFile}, SASL: SASL{Mechanism: "PLAIN", Username: "u", Password: "p"}}, opts: 2},
		{name: "missing ca file", cfg: Config{TLS: TLS{CAFile: filepath.Join(dir, "nope.pem")}}, contains: "TLS CA file", is: fs.ErrNotExist},
		{name: "ca file without pem", cfg: Config{TLS: TLS{CAFile: notPEM}}, contains: "holds no PEM certificate"},
		{name: "cert without key", cfg: Config{TLS: TLS{CertFile: pki.certFile}}, contains: "both its certificate and its key"},
		{name: "key that is not the cert's", cfg: Config{TLS: TLS{CertFile: pki.certFile, KeyFile: pki.caFile}}, contains: "TLS client certificate"},
		{name: "bad mechanism", cfg: Config{SASL: SASL{Mechanism: "GSSAPI", Username: "u", Password: "p"}}, contains: `SASL mechanism "GSSAPI": must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512`},
		{name: "username without mechanism", cfg: Config{SASL: SASL{Username: "u", Password: "p"}}, contains: "without a SASL mechanism"},
		{name: "mechanism without username", cfg: Config{SASL: SASL{Mechanism: "PLAIN", Password: "p"}}, contains: "needs a username"},
		{name: "no password", cfg: Config{SASL: SASL{Mechanism: "PLAIN", Username: "u"}}, contains: "password is empty"},
		{name: "empty password file", cfg: Config{SASL: SASL{Mechanism: "PLAIN", Username: "u", PasswordFile: emptyFile, Password: "ignored"}}, contains: "password is empty"},
		{name: "missing password file", cfg: Config{SASL: SASL{Mechanism: "PLAIN", Username: "u", PasswordFile: filepath.Join(dir, "nope")}}, contains: "SASL password file", is: fs.ErrNotExist},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := tc.cfg.Options()
			if tc.contains == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if len(opts) != tc.opts {
					t.Fatalf("%d options, want %d", len(opts), tc.opts)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.contains)
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %q: want ErrInvalid containing %q", err, tc.contains)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

func TestPasswordFileIsReadAtEachAuthentication(t *testing.T) {
	path := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(path, []byte("first\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := SASL{Mechanism: MechanismPlain, Username: "u", PasswordFile: path}
	if got, err := s.password(); err != nil || got != "first" {
		t.Fatalf("password %q, %v; want first", got, err)
	}
	if err := os.WriteFile(path, []byte("rotated"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := s.password(); err != nil || got != "rotated" {
		t.Fatalf("password %q, %v; want rotated", got, err)
	}
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		warn bool
	}{
		{"plaintext without SASL", Config{}, false},
		{"PLAIN without TLS", Config{SASL: SASL{Mechanism: "plain ", Username: "u"}}, true},
		{"PLAIN with TLS", Config{TLS: TLS{Enable: true}, SASL: SASL{Mechanism: "PLAIN", Username: "u"}}, false},
		{"PLAIN with a CA file", Config{TLS: TLS{CAFile: "ca.pem"}, SASL: SASL{Mechanism: "PLAIN", Username: "u"}}, false},
		{"SCRAM without TLS", Config{SASL: SASL{Mechanism: MechanismScramSHA512, Username: "u"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.cfg.Warnings()
			if (len(w) > 0) != tc.warn || (tc.warn && !strings.Contains(w[0], "clear text")) {
				t.Errorf("Warnings() = %q, want a warning: %v", w, tc.warn)
			}
		})
	}
}
