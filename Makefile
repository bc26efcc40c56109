# inetd-scgi: `make` builds dist/, `make demo` serves one canned request (`make demo-fetch`, `make
# demo-node`: the same with a fetch handler, a (req, res) listener), `make test` runs every test.
NODE ?= node
TSC := node_modules/.bin/tsc

.PHONY: all demo demo-fetch demo-node test check-dist bench fuzz clean

all: dist/inetd-scgi.cjs

# tsc writes build/inetd-scgi.js and .d.ts; the shipped names are .cjs and .d.cts (measured: a
# .cjs file loads with no warning under any package.json "type", by require and by import).
dist/inetd-scgi.cjs: inetd-scgi.ts types/node.d.ts tsconfig.json $(TSC)
	$(TSC) -p tsconfig.json
	mkdir -p dist
	mv build/inetd-scgi.js dist/inetd-scgi.cjs
	mv build/inetd-scgi.d.ts dist/inetd-scgi.d.cts
	rmdir build

$(TSC): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

demo: all
	@$(NODE) dist/inetd-scgi.cjs examples/hello.js < test/cases/hello.scgi

demo-fetch: all
	@$(NODE) dist/inetd-scgi.cjs examples/fetch.mjs < test/cases/hello.scgi

demo-node: all
	@$(NODE) dist/inetd-scgi.cjs examples/listener.cjs --app-type node < test/cases/hello.scgi

test: all
	./test.sh

# Fails when dist/ is not exactly what tsc makes of inetd-scgi.ts (dist/ is committed).
check-dist: $(TSC)
	@out=$$(mktemp -d); $(TSC) -p tsconfig.json --outDir $$out; \
	cmp -s $$out/inetd-scgi.js dist/inetd-scgi.cjs && cmp -s $$out/inetd-scgi.d.ts dist/inetd-scgi.d.cts; \
	stale=$$?; rm -rf $$out; \
	if [ $$stale != 0 ]; then echo "dist/ is stale: run make and commit dist/"; exit 1; fi

# Mutated requests until stopped, from a seed printed here (rerun with SEED=...); failing inputs are
# saved under test/fuzz-regressions/, which every `make test` runs again (commit them to keep them).
fuzz: all
	@seed=$${SEED:-$$(date +%s)}; echo "seed $$seed"; $(NODE) test/fuzz.mjs --forever --seed $$seed

# Speed and memory, measured side by side in one run, each target printed with its value: start-up
# and streaming (test/bench.js), CPU per request through nginx on Node 20, 22 and 24
# (test/bench-requests.js), then requests/s through nginx for each mode (test/bench-servers.sh).
CLEAN_ENV = env -i PATH="$(dir $(shell command -v $(NODE))):/usr/bin:/bin"
bench: all
	bash test/frameworks/install.sh
	$(CLEAN_ENV) $(NODE) test/bench.js
	$(CLEAN_ENV) $(NODE) test/bench-requests.js
	$(CLEAN_ENV) NODE="$(shell command -v $(NODE))" bash test/bench-servers.sh

clean:
	rm -rf build node_modules
