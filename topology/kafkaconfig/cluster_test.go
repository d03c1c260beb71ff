package kafkaconfig

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// secureCluster starts a kfake cluster on 127.0.0.1 that requires mutual
// TLS and SASL: user "ledgerline" with every supported mechanism.
func secureCluster(t *testing.T, pki testPKI) []string {
	t.Helper()
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.TLS(pki.server),
		kfake.EnableSASL(),
		kfake.Superuser(MechanismPlain, "ledgerline", "right-password"),
		kfake.Superuser(MechanismScramSHA256, "ledgerline", "right-password"),
		kfake.Superuser(MechanismScramSHA512, "ledgerline", "right-password"),
		kfake.SeedTopics(1, "secured"),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

func TestSASLOverMutualTLSProducesAndConsumes(t *testing.T) {
	pki := newTestPKI(t)
	brokers := secureCluster(t, pki)
	for _, mech := range Mechanisms {
		t.Run(mech, func(t *testing.T) {
			cfg := Config{
				TLS:  TLS{CAFile: pki.caFile, CertFile: pki.certFile, KeyFile: pki.keyFile},
				SASL: SASL{Mechanism: mech, Username: "ledgerline", Password: "right-password"},
			}
			sec, err := cfg.Options()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			base := append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, sec...)
			if err := Ping(ctx, base...); err != nil {
				t.Fatalf("ping: %v", err)
			}
			producer, err := kgo.NewClient(base...)
			if err != nil {
				t.Fatal(err)
			}
			defer producer.Close()
			want := "over TLS with " + mech
			if err := producer.ProduceSync(ctx, &kgo.Record{Topic: "secured", Key: []byte(mech), Value: []byte(want)}).FirstErr(); err != nil {
				t.Fatalf("produce: %v", err)
			}
			consumer, err := kgo.NewClient(append(base, kgo.ConsumeTopics("secured"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
			if err != nil {
				t.Fatal(err)
			}
			defer consumer.Close()
			for {
				fetches := consumer.PollFetches(ctx)
				if err := fetches.Err0(); err != nil {
					t.Fatalf("consume: %v", err)
				}
				for _, r := range fetches.Records() {
					if string(r.Value) == want {
						return
					}
				}
			}
		})
	}
}

func TestWrongCredentialsOrTrustFailClearly(t *testing.T) {
	pki := newTestPKI(t)
	brokers := secureCluster(t, pki)
	mtls := TLS{CAFile: pki.caFile, CertFile: pki.certFile, KeyFile: pki.keyFile}
	cases := []struct {
		name     string
		cfg      Config
		is       error
		contains string
	}{
		{
			name:     "wrong password",
			cfg:      Config{TLS: mtls, SASL: SASL{Mechanism: MechanismScramSHA512, Username: "ledgerline", Password: "wrong"}},
			is:       ErrAuthentication,
			contains: "SASL authentication failed (check the mechanism, username and password)",
		},
		{
			name:     "unknown user",
			cfg:      Config{TLS: mtls, SASL: SASL{Mechanism: MechanismScramSHA512, Username: "nobody", Password: "right-password"}},
			is:       ErrAuthentication,
			contains: "SASL authentication failed",
		},
		{
			name:     "untrusted broker certificate",
			cfg:      Config{TLS: TLS{CAFile: pki.otherCAFile, CertFile: pki.certFile, KeyFile: pki.keyFile}, SASL: SASL{Mechanism: MechanismScramSHA512, Username: "ledgerline", Password: "right-password"}},
			contains: "TLS certificate is not trusted (check the CA file)",
		},
		{
			name:     "certificate for another name",
			cfg:      Config{TLS: TLS{CAFile: pki.caFile, CertFile: pki.certFile, KeyFile: pki.keyFile, ServerName: "kafka.example"}, SASL: SASL{Mechanism: MechanismScramSHA512, Username: "ledgerline", Password: "right-password"}},
			contains: "does not name the host dialled",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sec, err := tc.cfg.Options()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err = Ping(ctx, append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, sec...)...)
			if err == nil {
				t.Fatal("ping succeeded")
			}
			if !strings.Contains(err.Error(), tc.contains) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("error %q: want one containing %q (wrapping %v)", err, tc.contains, tc.is)
			}
		})
	}
}
