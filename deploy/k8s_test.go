package deploy

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledgerline/ledgerline/connectors/dspapi"
	"github.com/ledgerline/ledgerline/topology"
	"github.com/ledgerline/ledgerline/topology/instance"
	"github.com/ledgerline/ledgerline/topology/runtime"
)

// runHelp builds the ledgerline binary and returns the help of `ledgerline
// run`: the flags it accepts and the variables it names.
func runHelp(t *testing.T) (flags map[string]bool, help string) {
	t.Helper()
	flags, help = commandHelp(t, "run")
	if !flags["brokers"] || !flags["state"] || !flags["sasl-password-file"] {
		t.Fatalf("flags of ledgerline run not found in its help:\n%s", help)
	}
	return flags, help
}

// commandHelp builds the ledgerline binary and returns the help of one
// of its commands: the flags it accepts and the text, which names the
// variables it reads.
func commandHelp(t *testing.T, command string) (flags map[string]bool, help string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ledgerline")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/ledgerline").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, command, "-h").CombinedOutput()
	if code := exitCode(err); code != 2 {
		t.Fatalf("ledgerline %s -h: exit %d (%v), want 2 (usage)\n%s", command, code, err, out)
	}
	flags = map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if len(flags) == 0 {
		t.Fatalf("no flags in the help of ledgerline %s:\n%s", command, out)
	}
	return flags, string(out)
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// goRuntimeVars are variables of the Go runtime a manifest may set.
var goRuntimeVars = []string{"GOMEMLIMIT", "GOGC", "GOMAXPROCS", "GODEBUG"}

// container returns the StatefulSet's ledgerline container.
func container(t *testing.T, sts doc) doc {
	t.Helper()
	for _, c := range list(get(sts, "spec", "template", "spec", "containers")) {
		if str(get(c, "name")) == "ledgerline" {
			return c.(doc)
		}
	}
	t.Fatal("the StatefulSet has no container named ledgerline")
	return nil
}

// runEnv returns the variables the container gets: its ConfigMaps' data
// and its own env entries (values of the latter "" when taken from
// elsewhere).
func runEnv(t *testing.T, objs map[string]doc, c doc) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, ef := range list(c["envFrom"]) {
		name := str(get(ef, "configMapRef", "name"))
		if name == "" {
			t.Fatalf("envFrom other than a ConfigMap: %v", ef)
		}
		for k, v := range get(object(t, objs, "ConfigMap", name), "data").(map[string]any) {
			env[k] = str(v)
		}
	}
	for _, e := range list(c["env"]) {
		env[str(get(e, "name"))] = str(get(e, "value"))
	}
	return env
}

func TestStatefulSetRunsLedgerlineRun(t *testing.T) {
	objs := k8sObjects(t, "k8s")
	sts := object(t, objs, "StatefulSet", "ledgerline")
	c := container(t, sts)
	flags, help := runHelp(t)

	args := list(c["args"])
	if len(args) == 0 || str(args[0]) != "run" {
		t.Fatalf("container args %v: want the run command first", args)
	}
	for _, a := range args[1:] {
		name, _, _ := strings.Cut(strings.TrimLeft(str(a), "-"), "=")
		if !strings.HasPrefix(str(a), "-") || !flags[name] {
			t.Errorf("argument %q is not a flag of ledgerline run", a)
		}
	}
	env := runEnv(t, objs, c)
	for name := range env {
		switch {
		case slices.Contains(goRuntimeVars, name):
		case strings.HasPrefix(name, "LEDGERLINE_"):
			flag := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, "LEDGERLINE_")), "_", "-")
			if !flags[flag] && !strings.Contains(help, "$"+name) {
				t.Errorf("%s is neither the variable of a flag of ledgerline run nor one its help names", name)
			}
		default:
			t.Errorf("%s is not a variable ledgerline reads", name)
		}
	}
	for _, required := range []string{"LEDGERLINE_STATE", "LEDGERLINE_LAKE", "LEDGERLINE_INSTANCE", "LEDGERLINE_LISTEN"} {
		if _, ok := env[required]; !ok {
			t.Errorf("%s is not set", required)
		}
	}
	if _, ok := env["LEDGERLINE_SASL_PASSWORD"]; ok {
		t.Error("the SASL password is set as a variable; mount it and name the file in LEDGERLINE_SASL_PASSWORD_FILE")
	}

	// Files the settings name lie on the container's mounts.
	mounts := map[string]string{} // mount path -> volume
	for _, m := range list(c["volumeMounts"]) {
		mounts[str(get(m, "mountPath"))] = str(get(m, "name"))
	}
	for _, name := range []string{"LEDGERLINE_STATE", "LEDGERLINE_TLS_CA_FILE", "LEDGERLINE_TLS_CERT_FILE", "LEDGERLINE_TLS_KEY_FILE", "LEDGERLINE_SASL_PASSWORD_FILE"} {
		path := env[name]
		if path == "" {
			continue
		}
		found := false
		for dir := range mounts {
			found = found || path == dir || strings.HasPrefix(path, dir+"/")
		}
		if !found {
			t.Errorf("%s=%s is on no volume mount of the container", name, path)
		}
	}
	if v := mounts[env["LEDGERLINE_STATE"]]; v != str(get(sts, "spec", "volumeClaimTemplates", 0, "metadata", "name")) {
		t.Errorf("the state folder is on volume %q, not on the pod's volume claim", v)
	}

	// Probes and the metrics port agree with --listen.
	_, port, _ := strings.Cut(env["LEDGERLINE_LISTEN"], ":")
	var metricsPort string
	for _, p := range list(c["ports"]) {
		if str(get(p, "name")) == "metrics" {
			metricsPort = strconv.Itoa(get(p, "containerPort").(int))
		}
	}
	if metricsPort == "" || metricsPort != port {
		t.Errorf("container port %q, LEDGERLINE_LISTEN port %q", metricsPort, port)
	}
	if p := str(get(c, "readinessProbe", "httpGet", "path")); p != "/ready" {
		t.Errorf("readiness probe on %q, want /ready", p)
	}
	if p := str(get(c, "livenessProbe", "httpGet", "path")); p != "/healthz" {
		t.Errorf("liveness probe on %q, want /healthz", p)
	}

	// Room to finish the open transaction on SIGTERM.
	grace, _ := get(sts, "spec", "template", "spec", "terminationGracePeriodSeconds").(int)
	if need := runtime.DefaultShutdownTimeout + runtime.DefaultTransactionTimeout; time.Duration(grace)*time.Second < need {
		t.Errorf("terminationGracePeriodSeconds %d: want at least %v", grace, need)
	}
	// Non-root, read-only root file system.
	if get(sts, "spec", "template", "spec", "securityContext", "runAsNonRoot") != true {
		t.Error("pod securityContext.runAsNonRoot is not true")
	}
	if get(c, "securityContext", "readOnlyRootFilesystem") != true {
		t.Error("container securityContext.readOnlyRootFilesystem is not true")
	}
}

func TestKEDAScalesOnTheDerivedGroups(t *testing.T) {
	objs := k8sObjects(t, "k8s")
	env := runEnv(t, objs, container(t, object(t, objs, "StatefulSet", "ledgerline")))
	so := object(t, objs, "ScaledObject", "ledgerline")

	if ref := get(so, "spec", "scaleTargetRef"); str(get(ref, "kind")) != "StatefulSet" || str(get(ref, "name")) != "ledgerline" {
		t.Errorf("scaleTargetRef %v: want the ledgerline StatefulSet", ref)
	}
	var got []instance.Consumer
	for _, tr := range list(get(so, "spec", "triggers")) {
		if str(get(tr, "type")) != "kafka" {
			continue
		}
		md := get(tr, "metadata")
		got = append(got, instance.Consumer{Group: str(get(md, "consumerGroup")), Topic: str(get(md, "topic"))})
		if b := str(get(md, "bootstrapServers")); b != env["LEDGERLINE_KAFKA_BROKERS"] {
			t.Errorf("trigger on %s: bootstrapServers %q, LEDGERLINE_KAFKA_BROKERS %q", get(md, "consumerGroup"), b, env["LEDGERLINE_KAFKA_BROKERS"])
		}
		if auth := str(get(tr, "authenticationRef", "name")); auth != "" {
			object(t, objs, "TriggerAuthentication", auth)
		}
	}
	want := instance.Consumers(env["LEDGERLINE_APP"], "")
	if !slices.Equal(got, want) {
		t.Errorf("KEDA triggers on %v, but the app's groups and topics are %v", got, want)
	}

	// The usage topic's partitions: what the deployment creates it with
	// (LEDGERLINE_PARTITIONS), else the topology's default.
	usage, _ := topology.New(topology.Options{}).Topic(topology.TopicUsage)
	limit := int(usage.Partitions)
	if p := env["LEDGERLINE_PARTITIONS"]; p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			t.Fatalf("LEDGERLINE_PARTITIONS=%q: %v", p, err)
		}
		limit = n
	}
	maxReplicas, _ := get(so, "spec", "maxReplicaCount").(int)
	minReplicas, _ := get(so, "spec", "minReplicaCount").(int)
	if maxReplicas < 1 || maxReplicas > limit {
		t.Errorf("maxReplicaCount %d: want 1..%d (the usage topic's partitions; more instances would idle)", maxReplicas, limit)
	}
	if minReplicas < 1 || minReplicas > maxReplicas {
		t.Errorf("minReplicaCount %d: want 1..maxReplicaCount", minReplicas)
	}
	if w, _ := get(so, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown", "stabilizationWindowSeconds").(int); w < 600 {
		t.Errorf("scale-down stabilization window %ds: under 10 minutes, peak windows make the instances flap", w)
	}
}

// TestPollCronJobRunsLedgerlinePoll: the CronJob polling a DSP API runs
// `ledgerline poll` with flags it accepts, a built-in profile and every
// required setting; it shares the instances' ConfigMap, whose Kafka
// settings poll must accept and whose others (state, lake, ...) belong to
// run; the token comes from a Secret, and the files the settings name
// lie on the job's mounts.
func TestPollCronJobRunsLedgerlinePoll(t *testing.T) {
	objs := k8sObjects(t, "k8s")
	cj := object(t, objs, "CronJob", "ledgerline-poll-example")
	if p := str(get(cj, "spec", "concurrencyPolicy")); p != "Forbid" {
		t.Errorf("concurrencyPolicy %q, want Forbid", p)
	}
	pod := get(cj, "spec", "jobTemplate", "spec", "template", "spec")
	var c doc
	for _, x := range list(get(pod, "containers")) {
		if str(get(x, "name")) == "ledgerline" {
			c = x.(doc)
		}
	}
	if c == nil {
		t.Fatal("the CronJob has no container named ledgerline")
	}
	pollFlags, pollHelp := commandHelp(t, "poll")
	runFlags, _ := runHelp(t)

	args := list(c["args"])
	if len(args) == 0 || str(args[0]) != "poll" {
		t.Fatalf("container args %v: want the poll command first", args)
	}
	given := map[string]string{}
	for _, a := range args[1:] {
		name, value, _ := strings.Cut(strings.TrimLeft(str(a), "-"), "=")
		if !strings.HasPrefix(str(a), "-") || !pollFlags[name] {
			t.Errorf("argument %q is not a flag of ledgerline poll", a)
		}
		given[name] = value
	}
	env := runEnv(t, objs, c)
	for _, required := range []string{"profile", "base-url", "account", "from"} {
		if given[required] == "" && env[strings.ToUpper("LEDGERLINE_"+strings.ReplaceAll(required, "-", "_"))] == "" {
			t.Errorf("--%s is not set", required)
		}
	}
	if _, err := dspapi.LoadProfile(given["profile"]); err != nil {
		t.Errorf("profile %q: %v", given["profile"], err)
	}
	for name := range env {
		switch {
		case slices.Contains(goRuntimeVars, name):
		case strings.HasPrefix(name, "LEDGERLINE_"):
			flag := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, "LEDGERLINE_")), "_", "-")
			if !pollFlags[flag] && !strings.Contains(pollHelp, "$"+name) && !runFlags[flag] && !strings.HasPrefix(name, "LEDGERLINE_S3_") {
				t.Errorf("%s is a setting of neither ledgerline poll nor ledgerline run", name)
			}
		default:
			t.Errorf("%s is not a variable ledgerline reads", name)
		}
	}
	for _, kafka := range []string{"kafka-brokers", "app", "tls-ca-file", "sasl-mechanism", "sasl-username", "sasl-password-file"} {
		name := "LEDGERLINE_" + strings.ToUpper(strings.ReplaceAll(kafka, "-", "_"))
		if _, set := env[name]; set && kafka != "kafka-brokers" && !pollFlags[kafka] {
			t.Errorf("the ConfigMap sets %s for the instances, but ledgerline poll has no --%s", name, kafka)
		}
	}
	if _, ok := env["LEDGERLINE_DSPAPI_TOKEN"]; !ok || !strings.Contains(pollHelp, "$LEDGERLINE_DSPAPI_TOKEN") {
		t.Error("the API token does not reach ledgerline poll as $LEDGERLINE_DSPAPI_TOKEN")
	}
	mounts := map[string]bool{}
	for _, m := range list(c["volumeMounts"]) {
		mounts[str(get(m, "mountPath"))] = true
	}
	for _, name := range []string{"LEDGERLINE_TLS_CA_FILE", "LEDGERLINE_TLS_CERT_FILE", "LEDGERLINE_TLS_KEY_FILE", "LEDGERLINE_SASL_PASSWORD_FILE"} {
		if path := env[name]; path != "" && !mounts[filepath.Dir(path)] {
			t.Errorf("%s=%s is on no volume mount of the job", name, path)
		}
	}
}
