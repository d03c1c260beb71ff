package kafkaconfig

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ErrAuthentication is wrapped by Ping's error when the broker rejected
// the SASL exchange, whether it answered with an error code or closed
// the connection (as some brokers do on a failed SASL exchange).
var ErrAuthentication = errors.New("kafka: SASL authentication failed (check the mechanism, username and password)")

// Ping connects to the cluster with opts (seed brokers included) and
// returns nil once a broker answered. An authentication or certificate
// failure is returned wrapped with the setting to check; the client's
// own error stays reachable with errors.Is and errors.As.
func Ping(ctx context.Context, opts ...kgo.Opt) error {
	watch := new(saslWatch)
	cl, err := kgo.NewClient(append(opts, kgo.WithHooks(watch))...)
	if err != nil {
		return err
	}
	defer cl.Close()
	err = cl.Ping(ctx)
	if err != nil && watch.failed.Load() && !errors.Is(err, kerr.SaslAuthenticationFailed) {
		return fmt.Errorf("%w: the broker closed the connection during authentication: %w", ErrAuthentication, err)
	}
	return Explain(err)
}

// saslWatch notes a SASL request that failed on the wire.
type saslWatch struct{ failed atomic.Bool }

var _ kgo.HookBrokerE2E = (*saslWatch)(nil)

func (w *saslWatch) OnBrokerE2E(_ kgo.BrokerMetadata, key int16, e2e kgo.BrokerE2E) {
	if (key == kmsg.SASLAuthenticate.Int16() || key == kmsg.SASLHandshake.Int16()) && e2e.Err() != nil {
		w.failed.Store(true)
	}
}

// Explain wraps an error of a Kafka client with a hint at the setting
// behind it, when it is an authentication or TLS failure; other errors
// are returned as they are.
func Explain(err error) error {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		certInvalid      x509.CertificateInvalidError
		recordHeader     tls.RecordHeaderError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrAuthentication):
		return err
	case errors.Is(err, kerr.SaslAuthenticationFailed):
		return fmt.Errorf("%w: %w", ErrAuthentication, err)
	case errors.Is(err, kerr.UnsupportedSaslMechanism), errors.Is(err, kerr.IllegalSaslState):
		return fmt.Errorf("kafka: the listener does not accept this SASL mechanism: %w", err)
	case errors.As(err, &unknownAuthority), errors.As(err, &certInvalid):
		return fmt.Errorf("kafka: the broker's TLS certificate is not trusted (check the CA file): %w", err)
	case errors.As(err, &hostname):
		return fmt.Errorf("kafka: the broker's TLS certificate does not name the host dialled (check the brokers or the TLS server name): %w", err)
	case errors.As(err, &recordHeader):
		return fmt.Errorf("kafka: the broker did not answer TLS (is the listener plaintext?): %w", err)
	}
	return err
}
