# Two commands on a fresh machine: `make run` and `make test`.
comma := ,
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed-$(shell cat requirements.txt tests/requirements.txt | cksum | cut -d' ' -f1)
BABEL_CFG := coordinator/translations/babel.cfg

.PHONY: run serve test fuzz venv browser db demo i18n i18n-compile clean

$(STAMP): requirements.txt tests/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r tests/requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

## run: make the virtualenv, migrate the SQLite database, load the demo and serve on 127.0.0.1:5000,
##      with simulated sales so the demo screen moves (SIMULATE_RATE=0 turns them off)
SIMULATE_RATE ?= 3
## (the demo campaign's group channel posts to a local robot on DEMO_ROBOT_PORT, which logs to instance/demo-robot.log)
DEMO_ROBOT_PORT ?= 5081
DEMO_ROBOT_URL := http://127.0.0.1:$(DEMO_ROBOT_PORT)/cgi-bin/webhook/send?key=demo
run: export NOTIFY_ALLOW_PRIVATE := $(NOTIFY_ALLOW_PRIVATE)$(if $(NOTIFY_ALLOW_PRIVATE),$(comma))127.0.0.1:$(DEMO_ROBOT_PORT)
run: venv
	$(FLASK) init-db
	$(FLASK) demo --robot-url '$(DEMO_ROBOT_URL)'
	@echo "Serving on http://$${HOST:-127.0.0.1}:$${PORT:-5000}/  (Ctrl-C stops; simulated sales: $(SIMULATE_RATE)/s)"
	@$(FLASK) demo-robot --port $(DEMO_ROBOT_PORT) > instance/demo-robot.out 2>&1 & robot=$$!; \
	$(PY) wsgi.py & server=$$!; sim=; \
	trap 'kill $$server $$sim $$robot 2>/dev/null; exit 0' INT TERM EXIT; \
	if [ "$(SIMULATE_RATE)" != "0" ]; then \
		sleep 3; $(FLASK) simulate-sales --demo --rate $(SIMULATE_RATE) --seconds 86400 > instance/simulate-sales.log 2>&1 & sim=$$!; \
	fi; \
	wait $$server

## serve: serve without touching the database
serve: venv
	$(PY) wsgi.py

## browser: Debian's Chromium (and CJK fonts) for the browser tests, poppler-utils to read printed PDFs back
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
			|| ! command -v pdftotext >/dev/null 2>&1; then \
		echo "Installing chromium, fonts-noto-cjk and poppler-utils from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null; \
	fi

## test: everything the tests need, then the suite (SQLite, PostgreSQL and Redis when reachable),
##       on TEST_WORKERS processes (pytest-xdist; TEST_WORKERS=0 runs it in this one)
TEST_WORKERS ?= 2
test: venv browser
	$(PY) -m pytest -n $(TEST_WORKERS)

## fuzz: the schemathesis fuzz of every API operation, long (FUZZ_EXAMPLES per operation and mode)
FUZZ_EXAMPLES ?= 200
fuzz: venv
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/fuzz

## i18n: extract messages, update the zh_Hans and en catalogs, compile them
i18n: venv
	$(VENV)/bin/pybabel extract -F $(BABEL_CFG) -k _l -k lazy_gettext -k _ -o coordinator/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i coordinator/translations/messages.pot -d coordinator/translations --no-fuzzy-matching
	$(MAKE) i18n-compile

i18n-compile: venv
	$(VENV)/bin/pybabel compile -d coordinator/translations --statistics

clean:
	rm -rf $(VENV) instance tests/artifacts .pytest_cache
