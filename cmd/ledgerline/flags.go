package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// newFlags returns a flag set that prints its usage to e.stderr.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: ledgerline %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(e.stderr, "\nEvery flag can also be set by the environment variable %s<FLAG> (upper case,\n'-' as '_', e.g. LEDGERLINE_SASL_USERNAME); a flag on the command line wins.\n", envPrefix)
	}
	return fs
}

// envPrefix starts the environment variable of every flag.
const envPrefix = "LEDGERLINE_"

// envName returns the environment variable that sets the flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// parse parses args like the package-level parse, then sets every flag
// not given on the command line from its environment variable
// (envName), if that is set: a Kubernetes manifest configures a command
// with env entries and mounted secrets instead of arguments.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		v := e.getenv(envName(f.Name))
		if v == "" {
			return
		}
		if serr := fs.Set(f.Name, v); serr != nil {
			err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, serr)
		}
	})
	return err
}

// parse parses args, mapping -h and bad flags to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return errUsage
	}
	return nil
}

// oneOf checks a flag's value against its allowed values.
func oneOf(flagName, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fmt.Errorf("--%s must be one of %s, not %q", flagName, strings.Join(allowed, ", "), value)
}

// brokersFlag registers --brokers, defaulting to LEDGERLINE_KAFKA_BROKERS.
func brokersFlag(fs *flag.FlagSet, e *env) *string {
	return fs.String("brokers", e.getenv("LEDGERLINE_KAFKA_BROKERS"), "comma-separated Kafka bootstrap brokers (default $LEDGERLINE_KAFKA_BROKERS)")
}

func splitBrokers(s string) ([]string, error) {
	var out []string
	for _, b := range strings.Split(s, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no Kafka brokers: pass --brokers or set LEDGERLINE_KAFKA_BROKERS")
	}
	return out, nil
}
