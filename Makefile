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
PKGS    := libmicrohttpd sqlite3 jansson libcmark-gfm libsodium zlib libutf8proc libcurl
BUILD   ?= build
SAN     ?=
OPT     ?= -O2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lcsv
# Route tables leave their optional trailing members out: zero is their
# meaning, so -Wmissing-field-initializers would only be noise.
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
           -Wno-missing-field-initializers \
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

EMBED_FILES := $(sort $(wildcard src/*/templates/*.html src/*/static/* src/*/migrations/*.sql))

.PHONY: all run test unit http browser sanitize bench deps test-deps node-deps clean fuzz
all: $(BUILD)/alliance

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

$(BUILD)/alliance: $(BUILD)/main.o $(LIB_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O1 -Wall -Wextra -o $@ $<

$(BUILD)/embedded.c: $(BUILD)/embed $(EMBED_FILES)
	$(BUILD)/embed $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -Isrc -c -o $@ $<

# a static pattern so make knows how to link each unit test
$(TESTS): $(BUILD)/%: $(BUILD)/%.o $(LIB_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

run: deps $(BUILD)/alliance
	@scripts/run.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

node-deps: node_modules/.package-lock.json

unit: $(TESTS)
	@scripts/run-unit.sh $(TESTS)

http: $(BUILD)/alliance node-deps
	ALLIANCE_BIN=$(abspath $(BUILD)/alliance) node --test --test-concurrency=1 --test-timeout=120000 $(sort $(wildcard tests/http/*.test.mjs src/*/*.http.test.mjs))

browser: $(BUILD)/alliance node-deps
	ALLIANCE_BIN=$(abspath $(BUILD)/alliance) node --test --test-concurrency=1 --test-timeout=120000 $(sort $(wildcard tests/browser/*.test.mjs))

# The unit and HTTP suites again under AddressSanitizer + UBSan.
sanitize:
	$(MAKE) BUILD=build/san SAN=1 OPT=-O1 unit http

# Every suite runs even when an earlier one fails; the exit status says
# whether all passed.  The last lines are the runners' own summaries.
test: test-deps
	@rc=0; \
	$(MAKE) --no-print-directory unit || rc=1; \
	$(MAKE) --no-print-directory sanitize || rc=1; \
	$(MAKE) --no-print-directory http || rc=1; \
	$(MAKE) --no-print-directory browser || rc=1; \
	exit $$rc

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
