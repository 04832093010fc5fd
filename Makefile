# Henge: two commands.
#   make run    build (release) and start the server on 127.0.0.1:8888, data in ./var
#   make test   everything: import rules, unit + golden .slt + HTTP tests, pydruid end-to-end,
#               and the DuckDB differential check on nycflights13

SWIFT ?= swift
HOST ?= 127.0.0.1
PORT ?= 8888
DATA_DIR ?= ./var

.PHONY: run test bootstrap build-release build-tests sample check-imports e2e differential clean

bootstrap:
	@scripts/bootstrap

run: bootstrap sample
	$(SWIFT) build -c release --product henge
	.build/release/henge serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

# The README's walkthrough file (deterministic, generated; no internet needed).
sample:
	@mkdir -p $(DATA_DIR)/samples
	@test -f $(DATA_DIR)/samples/wikipedia.json.gz || python3 scripts/make_wikipedia_sample.py $(DATA_DIR)/samples/wikipedia.json.gz

check-imports:
	scripts/check-imports.sh

build-tests: bootstrap
	$(SWIFT) build --build-tests

test: check-imports build-tests
	$(SWIFT) test --skip-build
	HENGE_BIN=$$($(SWIFT) build --show-bin-path)/henge tests/e2e/run.sh
	HENGE_BIN=$$($(SWIFT) build --show-bin-path)/henge tests/differential/run.sh

e2e: build-tests
	HENGE_BIN=$$($(SWIFT) build --show-bin-path)/henge tests/e2e/run.sh

differential: build-tests
	HENGE_BIN=$$($(SWIFT) build --show-bin-path)/henge tests/differential/run.sh

clean:
	rm -rf .build .build-* var
