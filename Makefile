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

# The lesson's notebooks, re-run in order (01..07) against a fresh lab of their own and compared with their
# stored outputs; the lab is removed before and after, whatever the result.
NBVAL_LAB := swarmlab-nbval
NBVAL_DOWN = out=$$($(BIN)/swarmlab lab down --name $(NBVAL_LAB) 2>&1) || echo "$$out" | grep -q "nothing to remove" \
	|| { echo "$$out" >&2; exit 1; }

NBVAL_RUN = SWARMLAB_LAB=$(NBVAL_LAB) SWARMLAB_INVENTORY= $(BIN)/pytest --nbval --nbval-current-env \
	--nbval-cell-timeout=900 --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider notebooks/

# One retry on a new lab: an intermittent overlay fault between nodes (seen once in several runs) must not
# hide behind a pass, so it is announced; a notebook that is really wrong fails both times.
nbval: engine
	@$(NBVAL_DOWN)
	$(NBVAL_RUN) || { $(NBVAL_DOWN); \
		echo "nbval: FAILED on the first lab; retrying once on a new lab (intermittent overlay fault)" >&2; \
		$(NBVAL_RUN); }; status=$$?; $(NBVAL_DOWN); exit $$status

clean:
	-$(BIN)/swarmlab lab down
	rm -rf $(VENV)
