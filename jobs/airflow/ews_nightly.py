"""
### ews_nightly: the early-warning system's nightly pipeline

One run processes one **landing date** D: the run that starts at 02:00 UTC on D+1 has the data interval
[D 02:00, D+1 02:00) and hands `--date D` (`data_interval_start | ds`) to every stage.

| task | what |
|---|---|
| `wait_for_customs` | waits (reschedule mode, every 15 min, up to 6 h) until `<landing>/customs/reporter=*/date=D/` holds a file |
| `ingest` → `conform` → `metrics` → `anomalies` → `publish` | `bin/ews <stage> --date D` under spark-submit, one stage per task |
| `weekly_maintenance_day` | lets `maintain` run only when D is a Sunday; on other days it is skipped (pink), not failed |
| `maintain` | `bin/ews maintain`: OPTIMIZE and VACUUM of every table (weekly, never during a nightly run) |

**A failed task** is retried twice (10 min, then about 20 min). Every stage replaces exactly the slices it writes, so
clearing a failed task (or the whole run) and running it again is always safe. The warehouse's `ops.runs` rows carry
the Airflow run id (`--run-id`): `bin/ews sql "SELECT * FROM ops.runs WHERE run_id = '<run id>'"`.

**The sensor fails** (it does not soft-fail) after 6 hours without customs files: a day on which no reporter sent
anything is an incident. Find out why; once the files are there, clear `wait_for_customs` and the run goes on. If
the day really has no data, mark `wait_for_customs` as success and the stages run on what there is.

**One run at a time** (`max_active_runs=1`): runs of different dates never write the same tables in parallel, and
`maintain` never runs during a nightly run. For a long range of dates, `bin/ews backfill --from --to` does it in one
pass (README, "Scheduling with Airflow").

Settings: Variables `ews_spark_jar`, `ews_config`, `ews_landing_uri` (optional: `ews_spark_files`); the Spark
connection `spark_ews` (or `$EWS_SPARK_CONN_ID` in the scheduler's and workers' environment) holds master, deploy
mode and queue. The first landing date is 2025-12-01, or `$EWS_DAG_START_DATE` (YYYY-MM-DD, same environment).
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

# Airflow 3 import paths first, then Airflow 2's (2.9+). Airflow 3 moved DAG authoring into the Task SDK
# (airflow.sdk) and the Python operators and sensors into the "standard" provider.
try:
    from airflow.sdk import DAG
except ImportError:
    from airflow import DAG
try:
    from airflow.providers.standard.operators.python import ShortCircuitOperator
    from airflow.providers.standard.sensors.python import PythonSensor
except ImportError:
    from airflow.operators.python import ShortCircuitOperator
    from airflow.sensors.python import PythonSensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

# The pipeline's stages in the order they run: one spark-submit task each, named after its bin/ews command. The
# timeout is per attempt; a stage that runs past it is killed and retried. Sized generously (the bundled sample
# takes under a minute a stage); set them to a few times your cluster's usual night.
STAGES = [
    ("ingest", timedelta(hours=1)),
    ("conform", timedelta(hours=1)),
    ("metrics", timedelta(hours=2)),
    ("anomalies", timedelta(hours=1)),
    ("publish", timedelta(minutes=30)),
]
# maintain rewrites every partition (Z-order): much longer than a nightly stage.
MAINTAIN_TIMEOUT = timedelta(hours=4)
# maintain runs after the nightly stages of the run whose landing date falls on this weekday (Monday = 0).
MAINTENANCE_WEEKDAY = 6  # Sunday

# Read once at parse time from the environment, not from a Variable: SparkSubmitOperator.conn_id is not a templated
# field, and a Variable read at parse time would hit the metadata database (Airflow 2) or the API server (Airflow 3)
# on every parse. The connection holds the master (host: yarn, spark://host:7077, k8s://...) and, in its extra,
# deploy-mode and queue, e.g. {"deploy-mode": "cluster", "queue": "ews"}.
SPARK_CONN_ID = os.environ.get("EWS_SPARK_CONN_ID", "spark_ews")


def start_date_from_environment(default: str = "2025-12-01") -> datetime:
    """The first landing date the DAG processes: $EWS_DAG_START_DATE (YYYY-MM-DD), else the default; 00:00 UTC.

    With catchup=True, the first deploy runs every day from here on: set it to the first day Airflow should process
    (the history before it is one `bin/ews backfill`). Read at parse time, like EWS_SPARK_CONN_ID, so it must be set
    wherever the DAG file is parsed (scheduler or DAG processor, and workers). A bad value fails the parse, naming the
    variable, rather than silently falling back to the default.
    """
    value = os.environ.get("EWS_DAG_START_DATE", default)
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        day = None
    # strptime also takes 2026-1-5; only the canonical form is accepted, so the value reads the same everywhere.
    if day is None or day.strftime("%Y-%m-%d") != value:
        raise ValueError(f"EWS_DAG_START_DATE={value!r} is not a date YYYY-MM-DD (the DAG's first landing date, "
                         f"e.g. 2025-12-01)")
    return day.replace(tzinfo=timezone.utc)


START_DATE = start_date_from_environment()

# Jinja templates, rendered when a task runs (never at parse time).
LANDING_DATE = "{{ data_interval_start | ds }}"
CONFIG = "{{ var.value.ews_config }}"
RUN_ID = "{{ run_id }}"  # stamped on ops.runs rows and Delta commits, to join them to this Airflow run


def customs_landed(landing_uri: str, landing_date: str) -> bool:
    """True when some reporter's customs folder for the landing date holds at least one file.

    Looks at <landing>/customs/reporter=*/date=<landing_date>/ through Airflow's ObjectStoragePath, so the same code
    reads s3://<conn id>@bucket/prefix (the Airflow connection gives the credentials; Spark reads the same place as
    s3a://) and file:///data/landing. Files whose name starts with '.' or '_' (_SUCCESS, .part files) do not count:
    ingest skips them too.

    When no file has come after the sensor's timeout, the task FAILS rather than soft-failing: a day without customs
    files from any reporter means a feed is broken, an incident the operator must see, and skipping would let the day
    pass unnoticed (its stages would be skipped too, and later runs would go on without it).
    """
    # Imported here, not at the top, so parsing the DAG file stays cheap and needs no object-store libraries.
    try:
        from airflow.sdk import ObjectStoragePath  # Airflow 3
    except ImportError:
        from airflow.io.path import ObjectStoragePath  # Airflow 2.8+

    customs = ObjectStoragePath(landing_uri.rstrip("/")) / "customs"
    if not customs.exists():
        return False
    for reporter in customs.iterdir():
        day = reporter / f"date={landing_date}"
        if not reporter.name.startswith("reporter=") or not day.is_dir():
            continue
        if any(f.is_file() and not f.name.startswith((".", "_")) for f in day.iterdir()):
            return True
    return False


def is_maintenance_day(landing_date: str) -> bool:
    """True on the weekly maintenance day; False skips maintain (ShortCircuitOperator)."""
    return datetime.strptime(landing_date, "%Y-%m-%d").weekday() == MAINTENANCE_WEEKDAY


def spark_task(task_id: str, command: list[str], timeout: timedelta) -> SparkSubmitOperator:
    """One bin/ews command under spark-submit: `<command...> --config <config> --run-id <Airflow run id>`."""
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id=SPARK_CONN_ID,
        application="{{ var.value.ews_spark_jar }}",
        java_class="org.ews.cli.Main",
        name=f"ews-{task_id}",
        # Shipped into the driver's and executors' working directories, e.g. the config file in cluster deploy mode
        # on YARN or Kubernetes (then ews_config is its bare file name). Not on Spark standalone in cluster mode: the
        # files arrive after the driver has read --config; use a path every worker can read. Empty: nothing shipped.
        files="{{ var.value.get('ews_spark_files', '') }}",
        # Airflow retries a failed stage; YARN must not retry the driver as well.
        conf={"spark.yarn.maxAppAttempts": "1"},
        application_args=[*command, "--config", CONFIG, "--run-id", RUN_ID],
        execution_timeout=timeout,
    )


with DAG(
    dag_id="ews_nightly",
    description="Supply-chain early warning: ingest, conform, metrics, anomalies, publish; maintain weekly",
    doc_md=__doc__,
    # Explicit on purpose. With a cron string, Airflow 2 made a data-interval timetable, but Airflow 3 makes a
    # CronTriggerTimetable ([scheduler] create_cron_data_intervals = False): a zero-length interval, so
    # data_interval_start, and ds, would be the run's own day. With this timetable both versions behave alike: the
    # run that starts at 02:00 UTC on D+1 has the data interval [D 02:00, D+1 02:00) and processes landing date D.
    schedule=CronDataIntervalTimetable("0 2 * * *", timezone="UTC"),
    # The first landing date the DAG processes ($EWS_DAG_START_DATE, default 2025-12-01). Load the history before it
    # with one `bin/ews backfill`.
    start_date=START_DATE,
    # Missed days are run, oldest first. Explicit: Airflow 3 defaults catchup to False, Airflow 2 to True.
    catchup=True,
    # One run at a time: backfilled days never write the same tables in parallel, and maintain never overlaps
    # a nightly run.
    max_active_runs=1,
    default_args={
        "owner": "ews",
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
        "retry_exponential_backoff": True,  # 10, then about 20 minutes (Airflow adds jitter)
        "max_retry_delay": timedelta(hours=1),
    },
    tags=["ews"],
) as dag:
    wait_for_customs = PythonSensor(
        task_id="wait_for_customs",
        python_callable=customs_landed,
        op_kwargs={"landing_uri": "{{ var.value.ews_landing_uri }}", "landing_date": LANDING_DATE},
        # Frees its worker slot between pokes; the 6 hours count from the first poke.
        mode="reschedule",
        poke_interval=15 * 60,
        timeout=6 * 60 * 60,
        soft_fail=False,  # fail, do not skip: see customs_landed
        execution_timeout=timedelta(minutes=5),  # one poke
    )

    upstream = wait_for_customs
    for stage, stage_timeout in STAGES:
        task = spark_task(stage, [stage, "--date", LANDING_DATE], stage_timeout)
        upstream >> task
        upstream = task

    weekly_maintenance_day = ShortCircuitOperator(
        task_id="weekly_maintenance_day",
        python_callable=is_maintenance_day,
        op_kwargs={"landing_date": LANDING_DATE},
        execution_timeout=timedelta(minutes=5),
    )
    # maintain has no --date: it works on the whole warehouse.
    upstream >> weekly_maintenance_day >> spark_task("maintain", ["maintain"], MAINTAIN_TIMEOUT)
