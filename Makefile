# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/pytest -p no:cacheprovider
# The lab suites name their ten slowest tests: where `make test`'s minutes go.
LAB_PYTEST := $(PYTEST) --durations=10

.PHONY: demo test unit hostile class loopback lab lab-lesson lab-part2 lab-faults lab-faults-cluster lab-faults-network lab-faults-services other-engine nbval recordings runtime venv \
	engine clean

# What `make demo` needs: swarmlab and its own dependencies. An editable install leaves no bytecode, and where
# PYTHONDONTWRITEBYTECODE is set none is ever written: every command would compile every module it imports, so
# the venv compiles them once.
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q swarmlab
	touch $@

# What the tests need besides (the notebooks' and the developers' tools): most of a fresh machine's downloads.
$(STAMP): $(RUNTIME)
	$(BIN)/pip install -q -e '.[notebooks,dev]'
	touch $@

runtime: $(RUNTIME)
venv: $(STAMP)

engine: runtime
	$(BIN)/swarmlab engine start

# The main job on the embedded lab: lab up, the whole lesson, every check, where to open the pages.
demo: engine
	$(BIN)/swarmlab lab up --config labs/lesson.yaml --exist-ok
	$(BIN)/swarmlab lab status
	$(BIN)/swarmlab lesson run --lesson-order
	$(BIN)/swarmlab check

# Fast tests first (no Docker: every check against every recorded cluster state), then the rest side by side:
# the students who attack and the class on loopback (each in a network of its own), and
# the lab for real: the whole suite on the default engine in its parts, the lesson and the checks on the
# other engine (its fault catalogue is replayed from tests/recordings by the unit tests; pytest's plumbing,
# marked one_engine, is left to the default engine), and the notebooks. The labs' suites use labs of their own
# and mostly wait on their clusters (each one's output kept together).
test: unit
	$(MAKE) --no-print-directory --output-sync=target -j9 hostile class lab-lesson lab-part2 lab-faults-cluster lab-faults-network lab-faults-services other-engine nbval

# The habits a newcomer leans on, then the fast tests: lint and format (ruff), types of the core (mypy), the
# layers (import-linter), then every check against every recorded cluster state.
unit: venv
	$(BIN)/ruff check swarmlab tests bench
	$(BIN)/ruff format --check swarmlab tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(PYTEST) tests/unit

# The loopback suites each run in a network of their own, loopback alone: the fake students reach nothing else,
# the two suites' fake hosts (the same addresses) stay apart, and Chromium never sees the labs' networks come and
# go (it fails a page it is loading with net::ERR_NETWORK_CHANGED when an address on the machine changes).
OWN_NETWORK := unshare --net sh -c 'ip link set lo up && exec "$$0" "$$@"'

# Students who attack (SECURITY.md): fake student hosts on loopback against the real grade, check and pages; the
# pages are opened in Debian's Chromium, installed here when missing.
hostile: venv
	$(BIN)/python -c 'from swarmlab.lab import host; host.require_commands({"chromium": "chromium"})'
	$(OWN_NETWORK) $(PYTEST) tests/hostile

loopback: hostile class

# A class of 20 fake students on loopback (some hang, some refuse) graded by the real `swarmlab grade`: the harness
# and every mark; it fails on a wrong mark, never on a time.
class: venv
	$(OWN_NETWORK) $(BIN)/python bench/class.py --students 20 --hang 2 --refuse 2

# The lab suite in parts, each on a lab of its own so that they can run side by side: the lesson, the checks,
# grading and the pages; part 2 (labels, placement, the panel); and the fault catalogue, which breaks its lab and
# puts it back two dozen times, in three parts (the swarm and its nodes; the network between them; the stacks'
# services).
lab: lab-lesson lab-part2 lab-faults

lab-lesson: venv engine
	$(LAB_PYTEST) tests/lab --ignore=tests/lab/faults --ignore=tests/lab/test_part2.py

lab-part2: venv engine
	SWARMLAB_TEST_LAB=swarmlab-test-part2 $(LAB_PYTEST) tests/lab/test_part2.py

lab-faults: lab-faults-cluster lab-faults-network lab-faults-services

lab-faults-cluster: venv engine
	SWARMLAB_TEST_LAB=swarmlab-test-faults $(LAB_PYTEST) tests/lab/faults/test_cluster.py

lab-faults-network: venv engine
	SWARMLAB_TEST_LAB=swarmlab-test-network $(LAB_PYTEST) tests/lab/faults/test_network.py

lab-faults-services: venv engine
	SWARMLAB_TEST_LAB=swarmlab-test-services $(LAB_PYTEST) tests/lab/faults/test_services.py

OTHER_ENGINE := 20.10
other-engine: venv engine
	SWARMLAB_TEST_ENGINE=$(OTHER_ENGINE) SWARMLAB_TEST_LAB=swarmlab-test-$(subst .,,$(OTHER_ENGINE)) \
		$(LAB_PYTEST) -m "not one_engine" tests/lab/test_lesson.py tests/lab/test_checks.py

# The lesson's notebooks, re-run in order against a fresh lab of their own and compared with their stored
# outputs; the lab is removed before and after, whatever the result. A notebook run fails when it fails.
# The notebooks' answers to the lesson's questions go to a file of the run's own, removed with the lab.
# Notebook 09 photographs the panel in Debian's Chromium, installed here when missing.
NBVAL_LAB := swarmlab-nbval
NBVAL_ANSWERS := $(CURDIR)/$(VENV)/nbval-answers.json
NBVAL_DOWN = for lab in $(NBVAL_LAB) $(NBVAL_LAB)-1node; do out=$$($(BIN)/swarmlab lab down --lab $$lab 2>&1) \
	|| echo "$$out" | grep -q "nothing to remove" || { echo "$$out" >&2; exit 1; }; done; rm -f $(NBVAL_ANSWERS)

nbval: venv engine
	@$(NBVAL_DOWN)
	$(BIN)/python -c 'from swarmlab.lab import host; host.require_commands({"chromium": "chromium"})'
	SWARMLAB_LAB=$(NBVAL_LAB) SWARMLAB_INVENTORY= SWARMLAB_ANSWERS=$(NBVAL_ANSWERS) $(PYTEST) -p nbval --nbval --nbval-current-env --nbval-cell-timeout=900 \
		--nbval-sanitize-with notebooks/sanitize.cfg notebooks/; status=$$?; $(NBVAL_DOWN); exit $$status

# Record every state of the fault catalogue again into tests/recordings (after a change to what the checks read).
recordings: venv engine
	SWARMLAB_RECORD=$(CURDIR)/tests/recordings $(PYTEST) tests/lab/faults
	SWARMLAB_RECORD=$(CURDIR)/tests/recordings $(PYTEST) tests/lab/test_check_access.py -k two_cards
	SWARMLAB_RECORD=$(CURDIR)/tests/recordings SWARMLAB_TEST_ENGINE=$(OTHER_ENGINE) \
		SWARMLAB_TEST_LAB=swarmlab-test-$(subst .,,$(OTHER_ENGINE)) $(PYTEST) tests/lab/faults
	SWARMLAB_RECORD=$(CURDIR)/tests/recordings SWARMLAB_TEST_ENGINE=$(OTHER_ENGINE) \
		$(PYTEST) tests/lab/test_check_access.py -k two_cards

clean:
	-$(BIN)/swarmlab lab down
	rm -rf $(VENV)
