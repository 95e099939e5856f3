# The interface: make, make demo, make check, make bench, make fuzz.
# Meson and ninja do the building underneath.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
CLANG_BUILD ?= build-clang
MESON      ?= meson
NINJA      ?= ninja

.PHONY: all deps build asan clang demo check bench fuzz clean format image

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) >/dev/null

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null

# clang's UBSan checks what GCC's does not (a zero offset applied to a null
# pointer, among others); its unit and fuzz suites run in `make check` too.
$(CLANG_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(CLANG_BUILD) -Db_sanitize=undefined -Db_lundef=false \
		-Dbuildtype=debug >/dev/null

build: deps $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

asan: deps $(ASAN_BUILD)/build.ninja
	$(NINJA) -C $(ASAN_BUILD)

clang: deps $(CLANG_BUILD)/build.ninja
	$(NINJA) -C $(CLANG_BUILD)

# An OCI image archive of capscope serve (the node agent and the webhook):
# Debian's libraries by mmdebstrap plus the installed capscope; docs/serve.md.
image: build
	@./scripts/install-deps.sh --image
	@./scripts/build-image.sh $(BUILD) $(BUILD)/capscope-image.tar

demo: build
	@./examples/demo.sh $(BUILD)/capscope

check: build asan clang
	@./tests/run.sh --build $(BUILD) --asan-build $(ASAN_BUILD) --clang-build $(CLANG_BUILD)

bench: build
	@./bench/run.sh $(BUILD)

# Coverage-guided fuzzing with libFuzzer (clang); 'make check' replays the corpus.
fuzz: deps
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false --reconfigure >/dev/null 2>&1 || \
		CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false >/dev/null
	$(NINJA) -C $(FUZZ_BUILD)
	@./tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	clang-format-14 -i $$(find include lib cli bpf daemon tests bench examples -name "*.[ch]" -not -path "*/corpus/*")

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(CLANG_BUILD)
