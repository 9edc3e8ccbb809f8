# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The one address of the site (participation/site.py): every link in emails, SMS, calendars, feeds and QR
# codes uses it. `PORT=8080 make run` serves on 8080 and every link says 8080.
SITE_URL ?= http://127.0.0.1:$(PORT)
# manage.py defaults to the production settings; these targets are for a laptop.
DEV := DJANGO_SETTINGS_MODULE=participation.settings.dev SITE_URL=$(SITE_URL) WAGTAILADMIN_BASE_URL=$(SITE_URL)
# The project's apps come from INSTALLED_APPS (the one list); asked only when a target uses them.
APPS = $(shell $(DEV) $(PY) scripts/project_apps.py)

.PHONY: run test install lint messages worker benchmark clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createcachetable
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py sync_site
	@echo "Serving on $(SITE_URL)/  (admin: $(SITE_URL)/admin/)"
	$(DEV) $(PY) manage.py db_worker --backend messages --queue-name messages --no-reload & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

worker: install
	$(DEV) $(PY) manage.py db_worker --backend messages --queue-name messages

# Collect texts into the Dutch catalogues (one per app) and compile them.
messages: install
	for app in $(APPS); do (cd $$app && $(DEV) ../$(PY) ../manage.py makemessages -l nl --no-obsolete >/dev/null); done
	$(DEV) $(PY) manage.py makemessages -l nl --no-obsolete $(foreach app,$(APPS),--ignore=$(app)/*) --ignore=.venv/* --ignore=tests/* --ignore=benchmarks/* >/dev/null
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv >/dev/null

benchmark: install
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
