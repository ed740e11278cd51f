# The only entry points: CI, the README and developers call these.
.PHONY: run test check bench clean

run:          ## the product on http://127.0.0.1:8000 with embedded defaults
	scripts/run.sh

test:         ## installs and starts what the tests need, then runs every test
	scripts/test.sh

check:        ## lint and types only
	scripts/check.sh

bench:        ## the benchmarks under bench/, written to docs/benchmarks.md
	scripts/bench.sh

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
