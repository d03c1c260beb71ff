# ledgerline — see README.md. Every target installs what it needs itself.
SHELL := /bin/bash
GO ?= go
PKGS ?= ./...
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
TEST_TIMEOUT ?= 45m
FUZZTIME ?= 60s

.PHONY: all build demo test test-unit lint fmt vet staticcheck bench fuzz clean

all: build

build:
	$(GO) build -o bin/ledgerline ./cmd/ledgerline

## demo: the whole pipeline on an embedded, in-process Kafka. No network, no services.
demo:
	$(GO) run ./cmd/ledgerline demo --out ./demo-out

## test: every test, including integration tests against a real Apache Kafka 4.x
## that deploy/kafka fetches with Maven and starts on 127.0.0.1 (unless
## LEDGERLINE_KAFKA_BROKERS already points at one), and against a real
## S3-compatible server (SeaweedFS, built from the Go module proxy by
## deploy/s3, unless LEDGERLINE_S3_ENDPOINT is set). Both are always stopped.
test:
	$(GO) version
	bash deploy/kafka/with-broker.sh bash deploy/s3/with-s3.sh $(GO) test -count=1 -timeout $(TEST_TIMEOUT) $(PKGS)

## test-unit: the tests that need no broker (integration tests skip).
test-unit:
	env -u LEDGERLINE_KAFKA_BROKERS -u LEDGERLINE_S3_ENDPOINT $(GO) test -count=1 -short $(PKGS)

lint: fmt vet staticcheck

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

## bench: throughput benchmarks (see README "Benchmarks"); the ingest memory
## benchmark generates a 2 GB report in a temporary folder.
bench:
	bash deploy/bench/run.sh

## fuzz: every fuzz target for FUZZTIME each.
fuzz:
	bash deploy/bench/fuzz.sh $(FUZZTIME)

clean:
	rm -rf bin demo-out
