# Rongrian — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000

.PHONY: run test test-postgres install catalogs catalogs-update redis bench guesser clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(STAMP) catalogs

catalogs: $(STAMP)
	$(BIN)/pybabel -q compile -d locale

redis: $(STAMP)
	@VENV=$(VENV) scripts/ensure-redis

run: install redis
	@VENV=$(VENV) PORT=$(PORT) scripts/run

test: install redis
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q

# The same suite on PostgreSQL (a throwaway cluster; needs the postgresql server package).
test-postgres: install redis
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/with-postgres $(BIN)/python -m pytest -q

# Issue 8's benchmarks (see `$(BIN)/python -m bench --help`), e.g. BENCH_ARGS="--reports 500 --db sqlite".
bench: install redis
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m bench $(BENCH_ARGS)

# Learn the reader's guess again (cases/language/guesses.json) after the labelled tuning messages
# or the concepts change; a test checks the file shipped is what this learns.
guesser: install
	$(BIN)/python -m bench.guesser

clean:
	rm -rf $(VENV) instance .redis *.egg-info

# After changing texts in the code: refresh the template and both catalogs, then translate.
catalogs-update: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --no-location -o locale/messages.pot .
	$(BIN)/pybabel -q update -i locale/messages.pot -d locale --no-fuzzy-matching --ignore-obsolete
