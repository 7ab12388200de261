# Entry points. A fresh machine needs only JDK 17 and Maven: `make run`, `make test`.
MVN      ?= mvn -B -q
SAMPLES  ?= data-samples/landing
WAREHOUSE ?= warehouse
# The sample's first and last landing dates, read off its folders.
SAMPLE_DATES = $(shell find $(SAMPLES) -type d -name 'date=*' | sed 's/.*date=//' | sort -u)

.PHONY: build run test clean help

help:
	@echo "make build   compile and package; produces the launcher's jars for bin/ews"
	@echo "make run     build, then the nightly pipeline over every sample landing date (one backfill) into ./$(WAREHOUSE)"
	@echo "make test    the whole test suite"
	@echo "make clean   remove build output and the local warehouse"

build:
	$(MVN) -DskipTests package
	@echo "built: bin/ews (jobs/target/ews-jobs.jar + jobs/target/lib)"

run: build
	bin/ews backfill --from $(firstword $(SAMPLE_DATES)) --to $(lastword $(SAMPLE_DATES)) \
	  --landing $(SAMPLES) --warehouse $(WAREHOUSE)

test:
	mvn -B test

clean:
	$(MVN) clean
	rm -rf $(WAREHOUSE)
