package kafkaconfig

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// ErrInvalid is wrapped by every error about a setting.
var ErrInvalid = errors.New("invalid Kafka client setting")

// SASL mechanisms.
const (
	MechanismPlain       = "PLAIN"
	MechanismScramSHA256 = "SCRAM-SHA-256"
	MechanismScramSHA512 = "SCRAM-SHA-512"
)

// Mechanisms lists the supported SASL mechanisms.
var Mechanisms = []string{MechanismPlain, MechanismScramSHA256, MechanismScramSHA512}

// Config is how a client reaches and authenticates to Kafka. The zero
// value is a plaintext, unauthenticated connection.
type Config struct {
	TLS  TLS
	SASL SASL
}

// TLS configures encryption of the connections to the brokers.
type TLS struct {
	// Enable turns TLS on with the system's roots. Setting any other
	// field turns it on too.
	Enable bool
	// CAFile is a PEM file of the certificates that sign the brokers'
	// certificates; default the system's roots.
	CAFile string
	// CertFile and KeyFile are the PEM client certificate and key for
	// mutual TLS; both or neither.
	CertFile, KeyFile string
	// ServerName is the name verified in the brokers' certificates;
	// default the host of the address dialled.
	ServerName string
}

// enabled reports whether TLS is on.
func (t TLS) enabled() bool {
	return t.Enable || t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != ""
}

// SASL configures authentication. An empty Mechanism means none.
type SASL struct {
	Mechanism string // one of Mechanisms
	Username  string
	// PasswordFile holds the password (a trailing newline is ignored).
	// It wins over Password.
	PasswordFile string
	// Password is used when PasswordFile is empty.
	Password string
}

// Options returns the client options of c: a TLS dialer and a SASL
// mechanism, as configured. It reads the files c names and fails on the
// first invalid setting.
func (c Config) Options() ([]kgo.Opt, error) {
	var opts []kgo.Opt
	if c.TLS.enabled() {
		tc, err := c.TLS.Config()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	if c.SASL.Mechanism != "" || c.SASL.Username != "" || c.SASL.PasswordFile != "" {
		m, err := c.SASL.mechanism()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.SASL(m))
	}
	return opts, nil
}

// Warnings returns what is unsafe about c although it works: a SASL
// PLAIN password sent without TLS travels in clear text, readable by
// anyone on the path. (SCRAM never sends the password itself.)
func (c Config) Warnings() []string {
	var w []string
	if strings.EqualFold(strings.TrimSpace(c.SASL.Mechanism), MechanismPlain) && !c.TLS.enabled() {
		w = append(w, "SASL PLAIN without TLS sends the password in clear text: add --tls (or a --tls-* flag), or use SCRAM")
	}
	return w
}

// Config returns the crypto/tls configuration of t.
func (t TLS) Config() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: TLS CA file: %w", ErrInvalid, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: TLS CA file %s holds no PEM certificate", ErrInvalid, t.CAFile)
		}
		tc.RootCAs = pool
	}
	switch {
	case t.CertFile != "" && t.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: TLS client certificate: %w", ErrInvalid, err)
		}
		tc.Certificates = []tls.Certificate{cert}
	case t.CertFile != "" || t.KeyFile != "":
		return nil, fmt.Errorf("%w: a TLS client certificate needs both its certificate and its key file", ErrInvalid)
	}
	return tc, nil
}

// mechanism validates s and returns its SASL mechanism.
func (s SASL) mechanism() (sasl.Mechanism, error) {
	mech := strings.ToUpper(strings.TrimSpace(s.Mechanism))
	switch {
	case mech == "":
		return nil, fmt.Errorf("%w: SASL username or password file given without a SASL mechanism (one of %s)", ErrInvalid, strings.Join(Mechanisms, ", "))
	case !slices.Contains(Mechanisms, mech):
		return nil, fmt.Errorf("%w: SASL mechanism %q: must be one of %s", ErrInvalid, s.Mechanism, strings.Join(Mechanisms, ", "))
	case s.Username == "":
		return nil, fmt.Errorf("%w: SASL %s needs a username", ErrInvalid, mech)
	}
	// Read the password now, so a missing secret fails at start-up, and
	// again at each authentication, so a rotated one is picked up.
	if _, err := s.password(); err != nil {
		return nil, err
	}
	user := s.Username
	switch mech {
	case MechanismPlain:
		return plain.Plain(func(context.Context) (plain.Auth, error) {
			pass, err := s.password()
			return plain.Auth{User: user, Pass: pass}, err
		}), nil
	case MechanismScramSHA256:
		return scram.Sha256(func(context.Context) (scram.Auth, error) {
			pass, err := s.password()
			return scram.Auth{User: user, Pass: pass}, err
		}), nil
	default:
		return scram.Sha512(func(context.Context) (scram.Auth, error) {
			pass, err := s.password()
			return scram.Auth{User: user, Pass: pass}, err
		}), nil
	}
}

// password returns the password from PasswordFile or Password.
func (s SASL) password() (string, error) {
	pass := s.Password
	if s.PasswordFile != "" {
		b, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("%w: SASL password file: %w", ErrInvalid, err)
		}
		pass = strings.TrimRight(string(b), "\r\n")
	}
	if pass == "" {
		return "", fmt.Errorf("%w: SASL password is empty (set a password file or the password variable)", ErrInvalid)
	}
	return pass, nil
}
