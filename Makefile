# Entry points. A fresh machine needs only JDK 17 and Maven: `make run`, `make test`.
MVN      ?= mvn -B -q
SAMPLES  ?= data-samples/landing
WAREHOUSE ?= warehouse
# The sample's first and last landing dates, read off its folders.
SAMPLE_DATES = $(shell find $(SAMPLES) -type d -name 'date=*' | sed 's/.*date=//' | sort -u)

.PHONY: build package cluster-test run test reliability evaluate bench clean help reference notebooks dag-check

help:
	@echo "make build   compile and package; produces the launcher's jars for bin/ews"
	@echo "make package the cluster jar (Spark provided) and jobs/target/ews-cluster.tar.gz to deploy (README: Running on a cluster)"
	@echo "make cluster-test  the samples' backfill on a standalone Spark cluster on 127.0.0.1, compared with local mode (~9 min)"
	@echo "make run     build, then the nightly pipeline over every sample landing date (one backfill) into ./$(WAREHOUSE),"
	@echo "             ending with the bulletin for the last date in ./reports/<date>/bulletin.html"
	@echo "make test    the whole test suite"
	@echo "make reliability  kill -9 a backfill at three points and rerun it, two runs at once; every table vs a clean run"
	@echo "make evaluate  anomaly detectors against injected events: recall per kind, false alarms per 1000 (EVAL_SEEDS, EVAL_DIR)"
	@echo "make bench   the performance benchmark at BENCH_SCALE declaration lines (default 1000000) into ./$(BENCH_DIR):"
	@echo "             backfill, nightly, nightly on a 10x smaller history, the DuckDB peer; results.json and met / NOT MET"
	@echo "make notebooks  run every notebooks/*.ipynb over ./$(WAREHOUSE) (after make run) into $(NOTEBOOKS_OUT)/<name>/: CSVs, SVG charts, executed notebook, HTML (NOTEBOOK_DATE)"
	@echo "make dag-check  check the Airflow DAG without Airflow; bin/ews --dry-run validates every task's command"
	@echo "make reference  rebuild conf/reference/partner_aliases.csv and fx_rates.csv from their sources"
	@echo "make clean   remove build output and the local warehouse"

build:
	$(MVN) -DskipTests package
	@echo "built: bin/ews (jobs/target/ews-jobs.jar + jobs/target/lib)"

# What a cluster runs: jobs/target/ews-jobs-cluster.jar (our classes, Delta, Deequ and the YAML reader; Spark, Scala and
# Hadoop come from the cluster), and a tarball with the jar, conf/cluster.yaml, conf/reference and the Airflow DAG.
BUNDLE = jobs/target/ews-cluster
package: build
	@command -v jar >/dev/null || { echo "package: 'jar' (from the JDK) is needed to check the cluster jar; set PATH to a JDK 17" >&2; exit 2; }
	@if jar tf jobs/target/ews-jobs-cluster.jar | grep -q -e '^org/apache/spark/SparkContext' -e '^scala/' -e '^org/apache/hadoop/'; then \
	  echo "package: the cluster jar carries Spark, Scala or Hadoop classes; the cluster provides them" >&2; exit 1; fi
	@jar tf jobs/target/ews-jobs-cluster.jar | grep -q '^com/amazon/deequ/VerificationSuite.class' || { \
	  echo "package: the cluster jar lacks Deequ (com.amazon.deequ), which no cluster provides" >&2; exit 1; }
	rm -rf $(BUNDLE) && mkdir -p $(BUNDLE)/conf $(BUNDLE)/airflow
	cp jobs/target/ews-jobs-cluster.jar $(BUNDLE)/
	cp -r conf/cluster.yaml conf/reference $(BUNDLE)/conf/
	cp jobs/airflow/ews_nightly.py $(BUNDLE)/airflow/
	tar czf $(BUNDLE).tar.gz -C jobs/target ews-cluster
	@echo "packaged: jobs/target/ews-jobs-cluster.jar ($$(du -k jobs/target/ews-jobs-cluster.jar | cut -f1) KiB) and $(BUNDLE).tar.gz"

# A standalone master and worker on 127.0.0.1 from the build's jars, the samples' backfill submitted to them in cluster
# deploy mode, the same backfill in local mode, every gold table compared row for row; stops what it started.
cluster-test: package
	jobs/cluster/cluster-test.sh $(firstword $(SAMPLE_DATES)) $(lastword $(SAMPLE_DATES))

# The publish stage ends the backfill by writing the bulletin for the last date into reports/ beside the warehouse.
run: build
	bin/ews backfill --from $(firstword $(SAMPLE_DATES)) --to $(lastword $(SAMPLE_DATES)) \
	  --landing $(SAMPLES) --warehouse $(WAREHOUSE)
	@echo "bulletin: $(dir $(abspath $(WAREHOUSE)))reports/$(lastword $(SAMPLE_DATES))/bulletin.html (extracts and manifest.json beside it)"

test:
	mvn -B test

# The fault tests that need several bin/ews processes (README "Reliability"): a backfill killed at three points and
# rerun, then two backfills at once (one refused by the run lock), every bronze/silver/gold table compared with a clean
# run. Report: jobs/target/reliability/report.txt.
reliability: build
	mvn -B -Preliability test

# The Airflow DAG's stages, order, retries, timeouts and templates, checked without Airflow (stub modules), then
# every task's rendered command validated by the launcher (--dry-run: no Spark started). See README, "Scheduling with
# Airflow".
# conf/cluster.yaml takes its S3A keys from ${AWS_ACCESS_KEY_ID} and ${AWS_SECRET_ACCESS_KEY}: the check validates
# commands, not credentials, so stand-ins are set where the environment has none.
dag-check: build
	AWS_ACCESS_KEY_ID="$${AWS_ACCESS_KEY_ID-dag-check}" AWS_SECRET_ACCESS_KEY="$${AWS_SECRET_ACCESS_KEY-dag-check}" \
	python3 jobs/airflow/check_dag.py jobs/airflow/ews_nightly.py --var ews_config=conf/cluster.yaml --launcher bin/ews

# Generated landing zones with injected supply events (one per seed, reused), the pipeline over each, and the
# findings scored against the generator's truth. About 4 minutes a seed on 2 cores.
EVAL_DIR   ?= target/evaluate
EVAL_SEEDS ?= 11,23,37
evaluate: build
	bin/ews evaluate --out $(EVAL_DIR) --seeds $(EVAL_SEEDS)

# The benchmark (README, "Benchmark"): landing zones generated once per scale and reused, every step a separate
# bin/ews process. 1M lines: 16-28 min on these 2 shared cores. BENCH_SCALE=10000000 or 36000000 for the larger
# runs (hours); BENCH_OPTS passes more (--keep, --seed N, --set KEY=VALUE).
BENCH_SCALE ?= 1000000
BENCH_DIR   ?= bench
BENCH_OPTS  ?=
bench: build
	bin/ews bench --scale $(BENCH_SCALE) --out $(BENCH_DIR) $(BENCH_OPTS)

# Every analyst notebook over the local warehouse, one output folder each (notebooks/README.md). NOTEBOOK_DATE sets
# the as-of date of all of them (default: each notebook's own).
NOTEBOOKS_OUT ?= target/notebooks
NOTEBOOK_DATE ?=
notebooks: build
	@test -d $(WAREHOUSE) || { echo "no warehouse at ./$(WAREHOUSE): run 'make run' first" >&2; exit 2; }
	@for nb in notebooks/*.ipynb; do \
	  name=$$(basename $$nb .ipynb); \
	  bin/ews notebook $$nb --warehouse $(WAREHOUSE) --out $(NOTEBOOKS_OUT)/$$name $(if $(NOTEBOOK_DATE),--param date=$(NOTEBOOK_DATE)) || exit 1; \
	done
	@echo "notebooks: $(NOTEBOOKS_OUT)/*/*.html"

# Built reference tables: partner aliases from country_codes.csv + the curated list; FX rates from the
# FRED extract. Tests fail if the shipped files and their sources drift apart.
REF = conf/reference
reference: build
	java -cp "jobs/target/ews-jobs.jar:jobs/target/lib/*" org.ews.conform.reference.PartnerAliasTable \
	  $(REF)/country_codes.csv $(REF)/partner_aliases_curated.csv $(REF)/partner_aliases.csv
	java -cp "jobs/target/ews-jobs.jar:jobs/target/lib/*" org.ews.conform.reference.FxRatesTable \
	  $(REF)/fred_exchange_rates_monthly.csv $(REF)/fx_rates.csv

clean:
	$(MVN) clean
	rm -rf $(WAREHOUSE) $(dir $(abspath $(WAREHOUSE)))reports
