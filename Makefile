# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test nbval venv engine clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[notebooks]'
	touch $@

venv: $(STAMP)

engine: venv
	$(BIN)/swarmlab engine start

# The main job on the embedded lab: lab up, the whole lesson, every check, where to open the pages.
demo: engine
	$(BIN)/swarmlab lab up --exist-ok
	$(BIN)/swarmlab lab status
	$(BIN)/swarmlab lesson run --lesson-order
	$(BIN)/swarmlab check

test: engine
	$(BIN)/pytest tests
	$(MAKE) nbval

# The lesson's notebooks, re-run against a fresh lab of their own and compared with their stored outputs.
nbval: engine
	@echo "nbval: notebooks not written yet"

clean:
	-$(BIN)/swarmlab lab down
	rm -rf $(VENV)
