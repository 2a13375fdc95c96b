# The two commands the README gives: `make run` and `make test`. Each sets up what it needs.
include toolchain.env

SM_HOME ?= $(HOME)/.cache/service-market
# Build output lives outside the work tree, so a fresh clone does not rebuild everything.
export CARGO_TARGET_DIR ?= $(SM_HOME)/target
# The chosen toolchain's links first, then the installed tools, then rustup's proxies.
export PATH := $(SM_HOME)/route-bin:$(SM_HOME)/tools/bin:$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_SITE_ROOT ?= $(CARGO_TARGET_DIR)/site
# One-shot builds gain nothing from incremental data, which costs gigabytes.
export CARGO_INCREMENTAL ?= 0

SERVER_BIN := $(CARGO_TARGET_DIR)/release/service-market
DATABASE_URL ?= sqlite:service-market.db
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL

.PHONY: run test setup setup-test setup-self-test build fmt-check lint unit-test integration-test e2e demo migrate admin clean-db

## make run: build in release mode and serve on SQLite at http://127.0.0.1:3000
run: build
	DATABASE_URL='$(DATABASE_URL)' $(SERVER_BIN) serve

## make test: formatting, lints, unit and integration tests (SQLite and PostgreSQL), Playwright
test: setup-self-test setup-test fmt-check lint unit-test integration-test e2e
	@echo "make test: all checks passed"

setup:
	@.ci/setup.sh build

setup-test:
	@.ci/setup.sh test

# The set-up's own test: setup.sh against fakes of apt-get, rustup, cargo, npm… in seconds.
setup-self-test:
	.ci/test-setup.sh

build: setup
	cargo leptos build --release

fmt-check:
	cargo fmt --all -- --check

lint:
	shellcheck .ci/*.sh .ci/run
	cargo clippy --locked -p app -p server --all-targets --features app/ssr -- -D warnings
	cargo clippy --locked -p frontend --target wasm32-unknown-unknown -- -D warnings

unit-test:
	cargo test --locked -p app --features ssr --lib
	cargo test --locked -p server --lib --bins

integration-test:
	cargo test --locked -p server --test '*'

e2e: build
	cd end2end && SERVER_BIN='$(SERVER_BIN)' npx playwright test

## make demo: fill the database with demo data and print the sign-ins
demo: build
	DATABASE_URL='$(DATABASE_URL)' $(SERVER_BIN) demo

migrate: build
	DATABASE_URL='$(DATABASE_URL)' $(SERVER_BIN) migrate

## make admin EMAIL=… PASSWORD=…: create a platform reviewer (or make an account one)
admin: build
	@test -n "$(EMAIL)" -a -n "$(PASSWORD)" || { echo "usage: make admin EMAIL=reviewer@example.com PASSWORD=…"; exit 2; }
	@DATABASE_URL='$(DATABASE_URL)' $(SERVER_BIN) admin '$(EMAIL)' '$(PASSWORD)'
