# countylib — every target creates or reuses .venv by itself.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.countylib-installed
RUN    ?= latest
YEAR   ?= 2022

# The lowest versions pyproject.toml allows, in a venv of their own: proof that the declared floors are true.
LOWEST := .venv-lowest
LOWEST_STAMP := $(LOWEST)/.countylib-installed
SMOKE  := tests/test_units.py tests/test_readers.py tests/test_yearbook_sheets.py tests/test_build.py \
          tests/test_build_lock.py tests/test_api.py tests/test_regions.py tests/test_lists.py tests/test_compare.py \
          tests/test_stats.py tests/test_plotting.py tests/test_maps.py tests/test_cli.py tests/test_dependencies.py

.PHONY: help install build reports national test test-lowest lint lab bench clean

help:  ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -qq --disable-pip-version-check -e ".[reports,lab,distributed,dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

install: $(STAMP)  ## create or reuse .venv with countylib and its dependencies

build: $(STAMP)  ## data/raw -> data/processed
	$(VENV)/bin/countylib build

reports: build  ## build, render the bundled analyses and every Henan county report, check every page
	$(VENV)/bin/countylib render notebook notebooks/choropleth.ipynb --run $(RUN) \
		-p indicator gdp -p year $(YEAR)
	$(VENV)/bin/countylib render notebook notebooks/choropleth.ipynb --run $(RUN) \
		-p indicator urbanization -p year 2020 -p province 全国
	$(VENV)/bin/countylib render notebook notebooks/county_regression.ipynb --run $(RUN)
	$(VENV)/bin/countylib render notebook notebooks/panel_change.ipynb --run $(RUN)
	$(VENV)/bin/countylib render notebook notebooks/baiqiang_rd_vs_gdp.ipynb --run $(RUN) \
		-p y rd_intensity -p x gdp
	$(VENV)/bin/countylib render notebook notebooks/baiqiang_rd_vs_gdp.ipynb --run $(RUN) \
		-p y fiscal_revenue -p x gdp
	$(VENV)/bin/countylib render notebook notebooks/prefecture_comparison.ipynb --run $(RUN) \
		-p prefecture_a 洛阳市 -p prefecture_b 郑州市 -p year $(YEAR)
	$(VENV)/bin/countylib render county --province 河南省 --year $(YEAR) --run $(RUN)
	$(VENV)/bin/countylib render check reports/$(RUN)

national: build  ## a profile for every county-level unit of China as one site in reports/national (~9 min on 2 idle cores)
	$(VENV)/bin/countylib render county --province 全国 --districts --year $(YEAR) --run national --resume
	$(VENV)/bin/countylib render check reports/national

test: $(STAMP)  ## run the test suite (lint included); in CI (CI=true) also test-lowest
	$(PY) -m pytest -q
	@if [ "$(CI)" = "true" ]; then $(MAKE) --no-print-directory test-lowest; fi

$(LOWEST_STAMP): pyproject.toml
	@test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install -qq --disable-pip-version-check uv
	$(LOWEST)/bin/uv pip install -q --python $(LOWEST)/bin/python --resolution lowest-direct -e ".[reports,dev]"
	@touch $(LOWEST_STAMP)

test-lowest: $(LOWEST_STAMP)  ## smoke tests on the lowest declared versions of every dependency (.venv-lowest)
	@$(LOWEST)/bin/python -c "import importlib.metadata as m; print('lowest:', ', '.join(f'{p} {m.version(p)}' \
		for p in ('pandas', 'numpy', 'pandera', 'shapely', 'geopandas', 'matplotlib', 'pyarrow', 'statsmodels')))"
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(SMOKE)

lint: $(STAMP)
	$(VENV)/bin/ruff check conftest.py countylib tests benchmarks

lab: build  ## JupyterLab on notebooks/
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

bench: build  ## run the benchmarks (ratios against baselines measured in the same run)
	for b in benchmarks/*_bench.py; do $(PY) $$b || exit 1; done

clean:  ## remove build output (keeps .venv)
	rm -rf data/processed/*.parquet data/processed/*.md reports/*/
