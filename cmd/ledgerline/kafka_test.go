package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

func TestFlagsFromEnvironment(t *testing.T) {
	cases := []struct {
		name     string
		vars     map[string]string
		args     []string
		code     int
		contains string
		lacks    string
	}{
		{name: "env sets a flag", vars: map[string]string{"LEDGERLINE_FORMAT": "dot"},
			args: []string{"topology", "describe"}, code: 0, contains: "digraph ledgerline"},
		{name: "the command line wins", vars: map[string]string{"LEDGERLINE_FORMAT": "dot"},
			args: []string{"topology", "describe", "--format", "text"}, code: 0, lacks: "digraph"},
		{name: "dashes become underscores", vars: map[string]string{"LEDGERLINE_APP": "royalties"},
			args: []string{"topology", "describe"}, code: 0, contains: "royalties-drift-periods-changelog"},
		{name: "a bad value names its variable", vars: map[string]string{"LEDGERLINE_PARTITIONS": "many"},
			args: []string{"topology", "describe"}, code: 1, contains: `LEDGERLINE_PARTITIONS="many"`},
		{name: "brokers by the general rule", vars: map[string]string{"LEDGERLINE_BROKERS": "127.0.0.1:1", "LEDGERLINE_SASL_MECHANISM": "GSSAPI"},
			args: []string{"ingest", "x.csv"}, code: 1, contains: `SASL mechanism "GSSAPI"`},
		{name: "missing CA file", vars: map[string]string{"LEDGERLINE_KAFKA_BROKERS": "127.0.0.1:1"},
			args: []string{"topology", "create", "--tls-ca-file", "/nonexistent/ca.pem"}, code: 1, contains: "TLS CA file"},
		{name: "no password anywhere", vars: map[string]string{"LEDGERLINE_KAFKA_BROKERS": "127.0.0.1:1"},
			args: []string{"topology", "create", "--sasl-mechanism", "PLAIN", "--sasl-username", "u"}, code: 1, contains: "SASL password is empty"},
		{name: "usage names the rule", args: []string{"run", "-h"}, code: 2, contains: "LEDGERLINE_<FLAG>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.vars, tc.args...)
			all := out + errOut
			if code != tc.code || !strings.Contains(all, tc.contains) || (tc.lacks != "" && strings.Contains(all, tc.lacks)) {
				t.Fatalf("exit %d (want %d); output should contain %q and lack %q:\n%s", code, tc.code, tc.contains, tc.lacks, all)
			}
		})
	}
}

func TestSASLFromPasswordFileOrEnvironment(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-256", "ledgerline", "from-the-secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	brokers := strings.Join(c.ListenAddrs(), ",")
	dir := t.TempDir()
	secret := filepath.Join(dir, "password")
	if err := os.WriteFile(secret, []byte("from-the-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wrong := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrong, []byte("guess"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{
		"LEDGERLINE_KAFKA_BROKERS":  brokers,
		"LEDGERLINE_SASL_MECHANISM": "SCRAM-SHA-256",
		"LEDGERLINE_SASL_USERNAME":  "ledgerline",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			m[bk] = bv
		}
		return m
	}
	cases := []struct {
		name     string
		vars     map[string]string
		args     []string
		code     int
		contains string
	}{
		{"password file flag", base, []string{"topology", "create", "--sasl-password-file", secret}, 0, "created   usage"},
		{"password file variable", with("LEDGERLINE_SASL_PASSWORD_FILE", secret), []string{"topology", "create"}, 0, "verified  usage"},
		{"password variable", with("LEDGERLINE_SASL_PASSWORD", "from-the-secret"), []string{"topology", "create"}, 0, "verified  usage"},
		{"wrong password", with("LEDGERLINE_SASL_PASSWORD", "guess"), []string{"topology", "create"}, 1, "SASL authentication failed (check the mechanism, username and password)"},
		{"file wins over variable", with("LEDGERLINE_SASL_PASSWORD", "from-the-secret"), []string{"topology", "create", "--sasl-password-file", wrong}, 1, "SASL authentication failed"},
		{"PLAIN without TLS warns", with("LEDGERLINE_SASL_PASSWORD", "from-the-secret"), []string{"topology", "create", "--sasl-mechanism", "PLAIN"}, 1, "warning: SASL PLAIN without TLS sends the password in clear text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.vars, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Fatalf("exit %d (want %d); output lacks %q:\n%s%s", code, tc.code, tc.contains, out, errOut)
			}
		})
	}
}
