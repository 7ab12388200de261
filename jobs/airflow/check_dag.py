#!/usr/bin/env python3
"""Checks the ews Airflow DAG without Airflow.

    python3 jobs/airflow/check_dag.py jobs/airflow/ews_nightly.py [--json] [--date 2025-12-01]
        [--var NAME=VALUE ...] [--launcher bin/ews]

Why stubs: Airflow cannot be installed where the build runs (no PyPI), yet a DAG file is plain Python that only
builds objects. So this checker puts small stand-ins for the Airflow modules the DAG imports into the import system,
runs the DAG file, and inspects what it built: the DAG's settings, the tasks, their arguments and their order. The
stand-ins are strict: importing an Airflow module or name they do not provide, or passing an argument the stand-in
does not know, fails the check with a line naming it. A DAG change that needs a new operator is then noticed here
(extend the stubs, knowingly) instead of passing unchecked. The DAG runs twice: with Airflow 3's module layout and
with Airflow 2's, so both branches of its fallback imports are exercised.

What it checks (exit 1 and one line on stderr per problem; exit 0 when all pass):
  - the spark-submit tasks' first application arguments, in dependency order, are exactly
    ingest, conform, metrics, anomalies, publish (each directly after the one before), then maintain behind a
    ShortCircuitOperator that comes after publish; the stages carry --date, every spark task --config and --run-id;
  - a sensor in reschedule mode, not soft-failing, directly upstream of ingest;
  - every task has retries >= 1, a retry_delay and an execution_timeout (its own or from default_args);
  - the DAG has max_active_runs == 1, catchup True and an explicit CronDataIntervalTimetable whose cron expression
    has 5 fields of digits, *, /, comma and - (no names, no @daily) and whose timezone is "UTC";
  - the start_date is a timezone-aware 00:00 UTC, and EWS_DAG_START_DATE sets it when the file is parsed: the DAG
    file is parsed again with the variable unset, set to 2026-01-05 (the start_date must be that day) and set to
    2026-02-30 (the parse must fail with an error naming the variable);
  - the Python tasks (PythonSensor, ShortCircuitOperator): their rendered op_args and op_kwargs bind to
    inspect.signature(python_callable) (stricter than Airflow, which silently drops op_kwargs the callable does not
    name; no Airflow context is passed). Then the callables are called for real, under both module layouts:
      the maintain gate for the 7 landing dates from --date on: a bool each day, True exactly on the Sunday;
      the sensor before ingest on temporary landing zones, handed over as the Variable ews_landing_uri
      (file://...): no customs/ folder -> False; customs/reporter=KR/date=D/part-0001.csv -> True; only _SUCCESS
      and .part-0001.csv there -> False; only a file dated D-1 -> False.
    An exception fails the check with the task, the case and the DAG line. ObjectStoragePath (airflow.sdk and
    airflow.io.path) is a stub over pathlib for file:// URIs with /, exists, iterdir, is_dir, is_file and name;
    anything else it is asked for fails the check, even if the callable catches the error;
  - no Variable.get while the file is parsed; no template in a field Airflow does not render;
  - every template renders. Known expressions: {{ data_interval_start | ds }} (--date), {{ run_id }}
    (scheduled__<date>T02:00:00+00:00), {{ var.value.NAME }} and {{ var.value.get('NAME', 'default') }} (--var).
    Any other expression fails the check: teach the renderer (and say what it renders to) before the DAG uses it.
    A Variable without a --var value and without a default fails in application_args (they are the launcher's
    arguments); in other fields it renders as <Variable NAME>.
  - with --launcher: `<launcher> <rendered application_args> --dry-run` exits 0 for every spark-submit task
    (the launcher validates command, options, values and the configuration file without starting Spark).

--json prints {"dag_id", "start_date", "tasks": [{"task_id", "operator", "upstream", "application_args"}]} on stdout
for the spark-submit tasks in dependency order (also when a check fails, as far as the DAG loaded). The DAG is
parsed with the caller's environment (EWS_SPARK_CONN_ID, EWS_DAG_START_DATE), except for the probes above.

Python standard library only; no jinja2.
"""
from __future__ import annotations

import argparse
import calendar
import contextlib
import datetime as dt
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import pathlib
import re
import runpy
import shlex
import subprocess
import sys
import tempfile
import traceback

# The nightly stages in the order they must run; maintain follows them behind the weekly gate.
STAGE_CHAIN = ["ingest", "conform", "metrics", "anomalies", "publish"]
MAINTAIN = "maintain"
# The weekly gate lets maintain run for this landing date's weekday only (Monday = 0), as the README promises.
MAINTENANCE_WEEKDAY = 6  # Sunday
# The sensor's callable is run against temporary landing zones handed to it through this Variable.
LANDING_VARIABLE = "ews_landing_uri"
# The environment variable that overrides the DAG's start_date at parse time; the checker parses the DAG with it
# unset, set to this sample date, and set to a date that does not exist (which must fail the parse).
START_DATE_VARIABLE = "EWS_DAG_START_DATE"
START_DATE_SAMPLE = dt.date(2026, 1, 5)
START_DATE_BAD = "2026-02-30"


class Recorder:
    """What one run of the DAG file did: the DAGs it built, Airflow imports the stubs lacked, Variable reads."""

    def __init__(self):
        self.dags: list[DAG] = []
        self.missing_imports: list[str] = []
        self.variable_reads: list[str] = []
        self.unstubbed: list[str] = []  # attributes of stubbed objects the DAG used but the stubs do not provide


RECORD = Recorder()


# ---------------------------------------------------------------------------------------------------------------
# Stubs of the Airflow classes the DAG uses. They record their arguments; they refuse arguments Airflow's own classes
# would not accept as far as this list knows (an argument Airflow accepts but the list lacks: add it here).
# ---------------------------------------------------------------------------------------------------------------

# Removed in Airflow 3, so refused here with the replacement.
REMOVED_IN_AIRFLOW_3 = {
    "schedule_interval": "use schedule=",
    "timetable": "use schedule=",
    "concurrency": "use max_active_tasks=",
    "sla": "SLAs were removed in Airflow 3",
    "sla_miss_callback": "SLAs were removed in Airflow 3",
}


def refuse_unknown(what: str, given: dict, allowed: frozenset) -> None:
    for name in given:
        if name in REMOVED_IN_AIRFLOW_3:
            raise TypeError(f"{what}: argument {name!r} was removed in Airflow 3 ({REMOVED_IN_AIRFLOW_3[name]})")
        if name not in allowed:
            raise TypeError(f"{what}: unexpected argument {name!r} (unknown to check_dag.py's stub; if Airflow "
                            f"accepts it, add it to the stub's list)")


class DAG:
    ARGS = frozenset({
        "description", "schedule", "start_date", "end_date", "default_args", "catchup", "max_active_runs",
        "max_active_tasks", "max_consecutive_failed_dag_runs", "dagrun_timeout", "doc_md", "tags", "params",
        "owner_links", "render_template_as_native_obj", "template_searchpath", "user_defined_macros",
        "user_defined_filters", "on_success_callback", "on_failure_callback", "access_control",
        "is_paused_upon_creation", "dag_display_name", "fail_fast",
    })
    _open: list[DAG] = []  # the DAGs whose `with` block is being run, innermost last

    def __init__(self, dag_id: str, **kwargs):
        refuse_unknown(f"DAG {dag_id!r}", kwargs, self.ARGS)
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks: dict[str, BaseOperator] = {}
        RECORD.dags.append(self)

    def __enter__(self):
        DAG._open.append(self)
        return self

    def __exit__(self, *exc):
        DAG._open.pop()
        return False

    @property
    def default_args(self) -> dict:
        return self.kwargs.get("default_args") or {}


class BaseOperator:
    ARGS = frozenset({
        "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay", "retry_exponential_backoff",
        "max_retry_delay", "start_date", "end_date", "depends_on_past", "wait_for_downstream", "params",
        "default_args", "priority_weight", "weight_rule", "queue", "pool", "pool_slots", "execution_timeout",
        "on_failure_callback", "on_success_callback", "on_retry_callback", "on_execute_callback", "trigger_rule",
        "max_active_tis_per_dag", "max_active_tis_per_dagrun", "executor", "executor_config", "do_xcom_push",
        "multiple_outputs", "doc", "doc_md", "doc_json", "doc_yaml", "doc_rst", "task_display_name", "inlets",
        "outlets",
    })
    TEMPLATE_FIELDS: tuple[str, ...] = ()

    def __init__(self, task_id: str, dag: DAG | None = None, **kwargs):
        refuse_unknown(f"task {task_id!r} ({type(self).__name__})", kwargs, BaseOperator.ARGS | self.ARGS)
        self.task_id = task_id
        self.kwargs = kwargs
        self.dag = dag or (DAG._open[-1] if DAG._open else None)
        if self.dag is None:
            raise RuntimeError(f"task {task_id!r} is created outside a DAG")
        if task_id in self.dag.tasks:
            raise ValueError(f"task id {task_id!r} is used twice")
        self.dag.tasks[task_id] = self
        self.upstream: list[BaseOperator] = []
        self.downstream: list[BaseOperator] = []

    def setting(self, name: str):
        """The task's own argument, else the DAG's default_args entry (as Airflow applies them)."""
        return self.kwargs[name] if name in self.kwargs else self.dag.default_args.get(name)

    def set_downstream(self, others) -> None:
        for other in others if isinstance(others, (list, tuple)) else [others]:
            if not isinstance(other, BaseOperator):
                raise TypeError(f"{self.task_id} >> {other!r}: not a task")
            if other not in self.downstream:
                self.downstream.append(other)
                other.upstream.append(self)

    def set_upstream(self, others) -> None:
        for other in others if isinstance(others, (list, tuple)) else [others]:
            if not isinstance(other, BaseOperator):
                raise TypeError(f"{self.task_id} << {other!r}: not a task")
            other.set_downstream(self)

    def __rshift__(self, other):  # self >> other
        self.set_downstream(other)
        return other

    def __lshift__(self, other):  # self << other
        self.set_upstream(other)
        return other

    def __rrshift__(self, other):  # [a, b] >> self
        self.set_upstream(other)
        return self

    def __rlshift__(self, other):  # [a, b] << self
        self.set_downstream(other)
        return self


PYTHON_ARGS = frozenset({"python_callable", "op_args", "op_kwargs", "templates_dict", "templates_exts",
                         "show_return_value_in_logs"})


class ShortCircuitOperator(BaseOperator):
    ARGS = PYTHON_ARGS | {"ignore_downstream_trigger_rules"}
    TEMPLATE_FIELDS = ("templates_dict", "op_args", "op_kwargs")


class PythonSensor(BaseOperator):
    ARGS = PYTHON_ARGS | {"poke_interval", "timeout", "soft_fail", "mode", "exponential_backoff", "max_wait",
                          "silent_fail", "never_fail"}
    TEMPLATE_FIELDS = ("templates_dict", "op_args", "op_kwargs")


class SparkSubmitOperator(BaseOperator):
    ARGS = frozenset({
        "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars", "java_class",
        "packages", "exclude_packages", "repositories", "total_executor_cores", "executor_cores", "executor_memory",
        "driver_memory", "keytab", "principal", "proxy_user", "name", "num_executors", "status_poll_interval",
        "application_args", "env_vars", "verbose", "spark_binary", "properties_file", "yarn_queue", "deploy_mode",
        "use_krb5ccache",
    })
    # The provider's template_fields (apache-airflow-providers-apache-spark 4.x/5.x). conn_id is not among them.
    TEMPLATE_FIELDS = ("application", "conf", "files", "py_files", "jars", "driver_class_path", "packages",
                       "exclude_packages", "keytab", "principal", "proxy_user", "name", "application_args",
                       "env_vars", "properties_file")


class CronDataIntervalTimetable:
    def __init__(self, cron: str, timezone):
        self.cron = cron
        self.timezone = timezone


class ObjectStoragePath:
    """Airflow's ObjectStoragePath for file:// URIs only, over pathlib: what the sensor's callable needs to run
    against the checker's temporary landing zones. Strict: any attribute it does not implement raises (and is
    recorded, so a DAG that catches the error still fails the check); implement it here when the DAG needs it."""

    IMPLEMENTED = ("/", "exists", "iterdir", "is_dir", "is_file", "name", "str")

    def __init__(self, uri, *more, **options):
        if more or options:
            raise TypeError("check_dag.py's ObjectStoragePath stub takes one URI and no other argument "
                            f"(given also {[*more, *options]})")
        if not isinstance(uri, str) or not uri.startswith("file:///"):
            raise ValueError(f"check_dag.py's ObjectStoragePath stub reads only file:///absolute/path URIs, not "
                             f"{uri!r}")
        self._path = pathlib.Path(uri[len("file://"):])

    @classmethod
    def _of(cls, path: pathlib.Path) -> ObjectStoragePath:
        return cls("file://" + str(path))

    def __truediv__(self, other):
        if not isinstance(other, str):
            raise TypeError(f"ObjectStoragePath / {other!r}: the stub joins only strings")
        return self._of(self._path / other)

    def __str__(self):
        return "file://" + str(self._path)

    def __repr__(self):
        return f"ObjectStoragePath({str(self)!r})"

    @property
    def name(self) -> str:
        return self._path.name

    def exists(self) -> bool:
        return self._path.exists()

    def is_dir(self) -> bool:
        return self._path.is_dir()

    def is_file(self) -> bool:
        return self._path.is_file()

    def iterdir(self):
        return iter([self._of(p) for p in sorted(self._path.iterdir())])  # sorted: the same run every time

    def __getattr__(self, attr):
        if not attr.startswith("__"):
            RECORD.unstubbed.append(f"ObjectStoragePath.{attr}")
        raise AttributeError(f"ObjectStoragePath.{attr} is not implemented by check_dag.py's stub (it has "
                             f"{', '.join(self.IMPLEMENTED)}): if the DAG needs it, add it to the stub")


class Variable:
    """Reading a Variable while the DAG file is parsed is a database (Airflow 2) or API (Airflow 3) call on every
    parse, and the value is frozen until the next one: use a template ({{ var.value.NAME }}) instead."""

    @staticmethod
    def get(key, *args, **kwargs):
        RECORD.variable_reads.append(str(key))
        raise RuntimeError(f"Variable.get({key!r}) while the DAG file is parsed; use {{{{ var.value.{key} }}}}")


# ---------------------------------------------------------------------------------------------------------------
# The Airflow modules the stubs provide, per Airflow major version. A module listed for one version only is absent
# under the other (an ImportError the DAG's fallback import is expected to catch). Any other airflow.* module or
# name is recorded as missing and fails the check, even when the DAG catches the ImportError.
# ---------------------------------------------------------------------------------------------------------------

MODULES = {
    "airflow": {"DAG": DAG},
    "airflow.models": {"DAG": DAG, "Variable": Variable},
    "airflow.timetables.interval": {"CronDataIntervalTimetable": CronDataIntervalTimetable},
    "airflow.providers.apache.spark.operators.spark_submit": {"SparkSubmitOperator": SparkSubmitOperator},
}
AIRFLOW_3_ONLY = {
    "airflow.sdk": {"DAG": DAG, "Variable": Variable, "ObjectStoragePath": ObjectStoragePath},
    "airflow.providers.standard.operators.python": {"ShortCircuitOperator": ShortCircuitOperator},
    "airflow.providers.standard.sensors.python": {"PythonSensor": PythonSensor},
}
AIRFLOW_2_ONLY = {
    "airflow.operators.python": {"ShortCircuitOperator": ShortCircuitOperator},
    "airflow.sensors.python": {"PythonSensor": PythonSensor},
    "airflow.io.path": {"ObjectStoragePath": ObjectStoragePath},  # 2.8+
}


def packages_of(modules) -> set[str]:
    """Every parent package of the given modules: airflow.providers.standard for ...standard.operators.python."""
    return {m.rsplit(".", i)[0] for m in modules for i in range(1, m.count(".") + 1)}


class StubImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves airflow and airflow.* from the stubs, for one Airflow version; never lets a real Airflow load."""

    def __init__(self, version: int):
        self.version = version
        own, other = (AIRFLOW_3_ONLY, AIRFLOW_2_ONLY) if version == 3 else (AIRFLOW_2_ONLY, AIRFLOW_3_ONLY)
        self.modules = {**MODULES, **own}
        self.present = set(self.modules) | packages_of(self.modules)
        self.other_version = set(other) | packages_of(other)

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "airflow" and not fullname.startswith("airflow."):
            return None
        if fullname in self.present:
            is_package = fullname in packages_of(self.modules)
            return importlib.machinery.ModuleSpec(fullname, self, is_package=is_package)
        if fullname in self.other_version:
            raise ModuleNotFoundError(f"No module named {fullname!r} in Airflow {self.version} (it is an Airflow "
                                      f"{5 - self.version} path)", name=fullname)
        RECORD.missing_imports.append(fullname)
        raise ModuleNotFoundError(f"No module named {fullname!r} (not among check_dag.py's Airflow stubs)",
                                  name=fullname)

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        module.__dict__.update(self.modules.get(module.__name__, {}))
        name = module.__name__

        def missing_name(attr):
            # Python probes dunders, and submodules before importing them: neither is a missing name.
            qualified = f"{name}.{attr}"
            if not attr.startswith("__") and qualified not in self.present | self.other_version:
                RECORD.missing_imports.append(qualified)
            raise AttributeError(f"module {name!r} has no attribute {attr!r} (check_dag.py stubs)")

        module.__getattr__ = missing_name


@contextlib.contextmanager
def airflow_stubs(version: int, record: Recorder):
    """While open, `import airflow...` gets the stubs of one Airflow version, and they record into `record`."""
    global RECORD
    RECORD = record
    importer = StubImporter(version)
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m == "airflow" or m.startswith("airflow.")}
    sys.meta_path.insert(0, importer)
    try:
        yield
    finally:
        sys.meta_path.remove(importer)
        for m in [m for m in sys.modules if m == "airflow" or m.startswith("airflow.")]:
            del sys.modules[m]
        sys.modules.update(saved)


@contextlib.contextmanager
def environment(**values):
    """Sets (a string) or unsets (None) environment variables while open."""
    def apply(settings: dict):
        for name, value in settings.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    saved = {name: os.environ.get(name) for name in values}
    try:
        apply(values)
        yield
    finally:
        apply(saved)


def dag_line(e: BaseException, dag_file: str) -> int | None:
    """The last line of the DAG file in the exception's traceback, if it is there."""
    lines = [f.lineno for f in traceback.extract_tb(e.__traceback__)
             if os.path.abspath(f.filename) == os.path.abspath(dag_file)]
    return lines[-1] if lines else None


def error_line(e: BaseException, dag_file: str) -> str:
    """'line N: Type: message'."""
    line = dag_line(e, dag_file)
    return (f"line {line}: " if line else "") + f"{type(e).__name__}: {e}"


def load_dag_file(dag_file: str, version: int, env: dict | None = None) -> tuple[Recorder, str | None]:
    """Runs the DAG file under the stubs of one Airflow version, with the environment changes `env` (name: value, or
    None to unset); returns what it built and its error, if any."""
    record = Recorder()
    DAG._open.clear()
    error = None
    with airflow_stubs(version, record), environment(**(env or {})):
        try:
            runpy.run_path(dag_file, run_name="ews_dag_check")
        except Exception as e:  # the DAG file's own error, reported with its line
            error = error_line(e, dag_file)
    return record, error


# ---------------------------------------------------------------------------------------------------------------
# Templates: a small renderer for the few expressions the DAG uses. Unknown expressions are errors, never passed on.
# ---------------------------------------------------------------------------------------------------------------

EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
VAR_VALUE = re.compile(r"var\.value\.([A-Za-z_]\w*)")
VAR_GET = re.compile(r"""var\.value\.get\(\s*(['"])([\w.-]+)\1\s*(?:,\s*(['"])(.*?)\3\s*)?\)""")


class RenderError(Exception):
    pass


class Renderer:
    def __init__(self, landing_date: str, variables: dict[str, str]):
        self.landing_date = landing_date
        self.run_id = f"scheduled__{landing_date}T02:00:00+00:00"
        self.variables = variables

    def render(self, value, strict_variables: bool):
        """Renders strings inside lists, tuples and dict values, as Airflow renders templated fields."""
        if isinstance(value, str):
            if "{%" in value or "{#" in value:
                raise RenderError(f"Jinja statement or comment in {value!r}: check_dag.py renders only {{{{ ... }}}}")
            return EXPRESSION.sub(lambda m: self.expression(m.group(1), strict_variables), value)
        if isinstance(value, (list, tuple)):
            return [self.render(v, strict_variables) for v in value]
        if isinstance(value, dict):
            return {k: self.render(v, strict_variables) for k, v in value.items()}
        return value

    def expression(self, text: str, strict_variables: bool) -> str:
        e = re.sub(r"\s*\|\s*", " | ", " ".join(text.split()))
        if e == "data_interval_start | ds":
            return self.landing_date
        if e == "run_id":
            return self.run_id
        m = VAR_VALUE.fullmatch(e)
        if m:
            return self.variable(m.group(1), None, strict_variables)
        m = VAR_GET.fullmatch(e)
        if m:
            return self.variable(m.group(2), m.group(4), strict_variables)
        raise RenderError(f"unknown template expression {{{{ {e} }}}}: check_dag.py renders only "
                          f"data_interval_start | ds, run_id, var.value.NAME and var.value.get('NAME', 'default')")

    def variable(self, name: str, default: str | None, strict: bool) -> str:
        if name in self.variables:
            return self.variables[name]
        if default is not None:
            return default
        if strict:
            raise RenderError(f"Variable {name!r} has no value and no default: pass --var {name}=VALUE")
        return f"<Variable {name}>"


# ---------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------

def dependency_order(dag: DAG) -> list[BaseOperator]:
    """Tasks upstream first (ties in creation order); raises on a cycle."""
    waiting = {t.task_id: len(t.upstream) for t in dag.tasks.values()}
    ready = [t for t in dag.tasks.values() if not t.upstream]
    order = []
    while ready:
        task = ready.pop(0)
        order.append(task)
        for d in task.downstream:
            waiting[d.task_id] -= 1
            if waiting[d.task_id] == 0:
                ready.append(d)
    if len(order) != len(dag.tasks):
        raise ValueError("the task dependencies form a cycle: " + ", ".join(sorted(t for t, n in waiting.items() if n)))
    return order


def command_of(args) -> str | None:
    return args[0] if isinstance(args, list) and args else None


def check_dag_settings(dag: DAG) -> list[str]:
    problems = []
    k = dag.kwargs
    if k.get("max_active_runs") != 1:
        problems.append(f"DAG {dag.dag_id!r}: max_active_runs is {k.get('max_active_runs')!r}; expected 1 "
                        f"(two runs would write the same tables at once)")
    if k.get("catchup") is not True:
        problems.append(f"DAG {dag.dag_id!r}: catchup is {k.get('catchup')!r}; expected True "
                        f"(Airflow 3 defaults to False, so missed days would be dropped)")
    schedule = k.get("schedule")
    if not isinstance(schedule, CronDataIntervalTimetable):
        problems.append(f"DAG {dag.dag_id!r}: schedule is {schedule!r}; expected an explicit "
                        f"CronDataIntervalTimetable (a cron string means a different landing date on Airflow 3)")
    else:
        problems += check_timetable(dag, schedule)
    problem = start_date_problem(k.get("start_date"))
    if problem:
        problems.append(f"DAG {dag.dag_id!r}: {problem}")
    return problems


CRON_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
CRON_FIELD = re.compile(r"[0-9*/,-]+")


def check_timetable(dag: DAG, timetable: CronDataIntervalTimetable) -> list[str]:
    """A plain 5-field cron expression (digits, *, /, comma, -: no names, no @daily) in UTC. Not a full cron parser:
    it catches a lost or extra field and stray characters, which Airflow would refuse only when it parses the DAG."""
    problems = []
    cron, where = timetable.cron, f"DAG {dag.dag_id!r}: the timetable's cron expression"
    fields = cron.split() if isinstance(cron, str) else None
    if fields is None:
        problems.append(f"{where} is {cron!r}; expected a string")
    elif len(fields) != 5:
        problems.append(f"{where} {cron!r} has {len(fields)} fields; expected 5 ({', '.join(CRON_FIELDS)})")
    else:
        problems += [f"{where} {cron!r}: the {name} field {field!r} may hold only digits, *, /, comma and -"
                     for name, field in zip(CRON_FIELDS, fields) if not CRON_FIELD.fullmatch(field)]
    if not (isinstance(timetable.timezone, str) and timetable.timezone == "UTC"):
        problems.append(f"DAG {dag.dag_id!r}: the timetable's timezone is {timetable.timezone!r}; expected \"UTC\" "
                        f"(a landing date is a UTC day, and the run starts at 02:00 UTC)")
    return problems


def start_date_problem(start) -> str | None:
    """None when start is a timezone-aware datetime at 00:00 UTC (a naive one is read in Airflow's configured
    default timezone, which need not be UTC)."""
    if not isinstance(start, dt.datetime):
        return f"start_date is {start!r}; expected a fixed datetime"
    if start.utcoffset() != dt.timedelta(0) or start.time() != dt.time(0):
        return f"start_date is {start.isoformat()}; expected a timezone-aware 00:00 UTC"
    return None


def check_start_date_variable(dag_file: str, dag_id: str) -> list[str]:
    """EWS_DAG_START_DATE sets the start_date at parse time: the DAG file loads with it unset and with a sample date
    (and then starts on that date), and fails to load, naming the variable, with a day that does not exist."""
    problems = []
    for value in (None, START_DATE_SAMPLE.isoformat()):
        setting = f"{START_DATE_VARIABLE} unset" if value is None else f"{START_DATE_VARIABLE}={value}"
        record, error = load_dag_file(dag_file, 3, {START_DATE_VARIABLE: value})
        if error or len(record.dags) != 1:
            problems.append(f"DAG {dag_id!r}: with {setting} the DAG file does not load: {error}")
            continue
        start = record.dags[0].kwargs.get("start_date")
        if value is None:  # the default: worded as check_dag_settings words it, so the line is not said twice
            problem = start_date_problem(start)
            problems += [f"DAG {dag_id!r}: {problem}"] if problem else []
            continue
        expected = dt.datetime.combine(START_DATE_SAMPLE, dt.time(0), dt.timezone.utc)
        if not isinstance(start, dt.datetime) or start != expected:
            shown = start.isoformat() if isinstance(start, dt.datetime) else repr(start)
            problems.append(f"DAG {dag_id!r}: with {setting} the start_date is {shown}; expected "
                            f"{expected.isoformat()} (the variable must set it when the file is parsed)")
    _, error = load_dag_file(dag_file, 3, {START_DATE_VARIABLE: START_DATE_BAD})
    if error is None:
        problems.append(f"DAG {dag_id!r}: with {START_DATE_VARIABLE}={START_DATE_BAD} (no such day) the DAG file "
                        f"loads; expected the parse to fail, naming {START_DATE_VARIABLE}")
    elif START_DATE_VARIABLE not in error:
        problems.append(f"DAG {dag_id!r}: with {START_DATE_VARIABLE}={START_DATE_BAD} the parse fails without naming "
                        f"{START_DATE_VARIABLE}: {error}")
    return problems


def check_task_settings(task: BaseOperator) -> list[str]:
    problems = []
    retries = task.setting("retries")
    if not isinstance(retries, int) or retries < 1:
        problems.append(f"task {task.task_id!r}: retries is {retries!r}; expected at least 1 (own or default_args)")
    for name in ("retry_delay", "execution_timeout"):
        if not isinstance(task.setting(name), dt.timedelta):
            problems.append(f"task {task.task_id!r}: no {name} (a timedelta, own or default_args)")
    for name, value in task.kwargs.items():
        if name not in task.TEMPLATE_FIELDS and "{{" in json.dumps(value, default=str):
            problems.append(f"task {task.task_id!r}: {name} holds a template, but it is not a templated field of "
                            f"{type(task).__name__}: Airflow would pass it on unrendered")
    return problems


def check_chain(spark_tasks: list[BaseOperator], commands: dict[str, str | None]) -> list[str]:
    """The spark-submit tasks run ingest, conform, metrics, anomalies, publish in that order, then maintain."""
    problems = []
    expected = STAGE_CHAIN + [MAINTAIN]
    by_command: dict[str, BaseOperator] = {}
    for task in spark_tasks:
        command = commands[task.task_id]
        if command not in expected:
            problems.append(f"task {task.task_id!r}: first application argument {command!r} is not a stage; "
                            f"expected one of {', '.join(expected)}")
        elif command in by_command:
            problems.append(f"task {task.task_id!r}: runs {command!r}, as task {by_command[command].task_id!r} does")
        else:
            by_command[command] = task
    for command in expected:
        if command not in by_command:
            problems.append(f"no spark-submit task runs {command!r}")
    if problems:
        return problems

    in_order = [commands[t.task_id] for t in spark_tasks]
    if in_order != expected:
        problems.append(f"spark-submit tasks run in the order {', '.join(in_order)}; expected {', '.join(expected)}")
    for before, after in zip(STAGE_CHAIN, STAGE_CHAIN[1:]):
        if by_command[before] not in by_command[after].upstream:
            problems.append(f"task {by_command[after].task_id!r}: not directly downstream of "
                            f"{by_command[before].task_id!r} ({before} must run right before {after})")
    maintain, publish = by_command[MAINTAIN], by_command[STAGE_CHAIN[-1]]
    gates = [t for t in maintain.upstream if isinstance(t, ShortCircuitOperator)]
    if not gates or maintain.upstream != gates:
        problems.append(f"task {maintain.task_id!r}: its only upstream must be the weekly ShortCircuitOperator gate; "
                        f"has {[t.task_id for t in maintain.upstream]}")
    elif publish not in gates[0].upstream:
        problems.append(f"task {gates[0].task_id!r}: the maintain gate is not directly downstream of "
                        f"{publish.task_id!r} (maintain must never overlap the nightly stages)")
    return problems


def check_arguments(task: BaseOperator, args: list) -> list[str]:
    needed = ["--config", "--run-id"] + (["--date"] if args and args[0] in STAGE_CHAIN else [])
    return [f"task {task.task_id!r}: application_args lack {option}" for option in needed if option not in args]


def check_sensor(ingest: BaseOperator) -> list[str]:
    sensors = [t for t in ingest.upstream if isinstance(t, PythonSensor)]
    if not sensors:
        return [f"task {ingest.task_id!r}: no sensor directly upstream (expected the PythonSensor that waits for "
                f"the day's customs files)"]
    problems = []
    for sensor in sensors:
        if sensor.kwargs.get("mode") != "reschedule":
            problems.append(f"task {sensor.task_id!r}: mode is {sensor.kwargs.get('mode', 'poke')!r}; expected "
                            f"'reschedule' (a poking sensor holds a worker slot for hours)")
        if sensor.kwargs.get("soft_fail"):
            problems.append(f"task {sensor.task_id!r}: soft_fail is set; a day without customs files must fail")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# The Python tasks' callables: their arguments must fit, and they are called for real, as Airflow would call them.
# ---------------------------------------------------------------------------------------------------------------

def is_python_task(task: BaseOperator) -> bool:
    return "python_callable" in task.ARGS


def describe(func) -> str:
    """customs_landed(landing_uri, landing_date): the name and parameters, without annotations."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return repr(func)
    plain = sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                        return_annotation=sig.empty)
    return f"{getattr(func, '__name__', repr(func))}{plain}"


def call_arguments(task: BaseOperator, renderer: Renderer) -> tuple[list, dict]:
    """op_args and op_kwargs as Airflow hands them to python_callable: rendered (raises RenderError)."""
    args = renderer.render(task.kwargs.get("op_args") or [], strict_variables=False)
    kwargs = renderer.render(task.kwargs.get("op_kwargs") or {}, strict_variables=False)
    return args, kwargs


def check_callable_arguments(task: BaseOperator, renderer: Renderer) -> list[str]:
    """python_callable takes the rendered op_args and op_kwargs. Stricter than Airflow, which drops op_kwargs the
    callable does not name (so a misspelt one silently never arrives) and fills parameters named after context
    values (ds, ti, ...): the checker passes no context, so a callable that wants one fails here until taught."""
    func = task.kwargs.get("python_callable")
    if not callable(func):
        return [f"task {task.task_id!r}: python_callable is {func!r}; expected a function"]
    op_args, op_kwargs = task.kwargs.get("op_args") or [], task.kwargs.get("op_kwargs") or {}
    if not isinstance(op_args, (list, tuple)) or not isinstance(op_kwargs, dict):
        return [f"task {task.task_id!r}: op_args must be a list and op_kwargs a dict"]
    try:
        args, kwargs = call_arguments(task, renderer)
    except RenderError:
        return []  # reported with the templated fields
    try:
        inspect.signature(func).bind(*args, **kwargs)
    except TypeError as e:
        given = " and ".join([f"op_args {args}"] * bool(args) + [f"op_kwargs {kwargs}"] * bool(kwargs)) or "no arguments"
        return [f"task {task.task_id!r}: {given} do not fit {describe(func)}: {e}"]
    return []


def call(func, version: int, args: list, kwargs: dict, dag_file: str) -> tuple[object, str | None]:
    """Calls func under the stubs of one Airflow version (its imports run now); returns (result, error). Using an
    Airflow name or ObjectStoragePath attribute the stubs lack is an error even when the callable catches it."""
    record = Recorder()
    result, error = None, None
    # Whatever the callable prints goes to stderr: stdout is for --json.
    with airflow_stubs(version, record), contextlib.redirect_stdout(sys.stderr):
        try:
            result = func(*args, **kwargs)
        except Exception as e:
            line = dag_line(e, dag_file)
            error = f"raised {type(e).__name__}: {e}" + (f" ({os.path.basename(dag_file)} line {line})" if line else "")
    gaps = list(dict.fromkeys(record.missing_imports + record.unstubbed))
    if gaps and not error:  # the callable caught the stubs' error and went on
        error = f"used {', '.join(gaps)}, not provided by check_dag.py's stubs (add them to the stubs)"
    return result, error


def check_gate(gate: BaseOperator, version: int, landing_date: str, variables: dict, dag_file: str) -> list[str]:
    """The weekly gate, called for the 7 landing dates from --date on: True exactly on the maintenance weekday."""
    func, first = gate.kwargs["python_callable"], dt.date.fromisoformat(landing_date)
    problems = []
    for day in (first + dt.timedelta(days=n) for n in range(7)):
        args, kwargs = call_arguments(gate, Renderer(day.isoformat(), variables))
        result, error = call(func, version, args, kwargs, dag_file)
        what = f"task {gate.task_id!r}: {func.__name__} for landing date {day} ({day:%A})"
        expected = day.weekday() == MAINTENANCE_WEEKDAY
        if error:
            return problems + [f"{what} {error}"]  # the same on every day: said once
        if not isinstance(result, bool):
            return problems + [f"{what} returned {result!r}; expected a bool, here {expected}"]  # said once too
        if result != expected:
            problems.append(f"{what} returned {result}; expected {expected} (maintain runs after the nightly stages "
                            f"of {calendar.day_name[MAINTENANCE_WEEKDAY]} landing dates only)")
    return problems


def landing_zones(root: str, day: dt.date) -> list[tuple[str, str, bool]]:
    """Sample landing zones under root: (what it holds, its file:// URI, what the sensor must return for day)."""
    kr = f"customs/reporter=KR/date={day}"
    cases = [
        (f"no customs/ folder (only corporate/firms/date={day}/part-0001.csv)",
         [f"corporate/firms/date={day}/part-0001.csv"], False),
        (f"{kr}/part-0001.csv", [f"{kr}/part-0001.csv"], True),
        (f"only _SUCCESS and .part-0001.csv in {kr}/", [f"{kr}/_SUCCESS", f"{kr}/.part-0001.csv"], False),
        (f"only a file for another date, customs/reporter=KR/date={day - dt.timedelta(days=1)}/part-0001.csv",
         [f"customs/reporter=KR/date={day - dt.timedelta(days=1)}/part-0001.csv"], False),
    ]
    zones = []
    for n, (what, files, expected) in enumerate(cases, 1):
        zone = pathlib.Path(root, f"landing-{n}")
        zone.mkdir()
        for name in files:
            (zone / name).parent.mkdir(parents=True, exist_ok=True)
            (zone / name).write_text("reporter,hs_code,value\n")
        zones.append((what, f"file://{zone}", expected))
    return zones


def check_sensor_callable(sensor: BaseOperator, version: int, landing_date: str, variables: dict, zones: list,
                          dag_file: str) -> list[str]:
    """The sensor's callable on each sample landing zone, handed to it as the Variable ews_landing_uri."""
    func = sensor.kwargs["python_callable"]
    problems = []
    for what, uri, expected in zones:
        args, kwargs = call_arguments(sensor, Renderer(landing_date, {**variables, LANDING_VARIABLE: uri}))
        result, error = call(func, version, args, kwargs, dag_file)
        where = f"task {sensor.task_id!r}: {func.__name__} on a landing zone with {what}"
        if error:
            problems.append(f"{where} {error}")
        elif result is not expected:
            problems.append(f"{where} returned {result!r}; expected {expected}")
    return problems


def run_launcher(launcher: str, task_id: str, args: list[str]) -> str | None:
    """None when `<launcher> <args> --dry-run` exits 0, else the problem line with the launcher's own line."""
    command = [launcher, *args, "--dry-run"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except OSError as e:
        return f"task {task_id!r}: cannot run the launcher {launcher!r}: {e.strerror}"
    except subprocess.TimeoutExpired:
        return f"task {task_id!r}: {shlex.join(command)} did not finish in 300 s"
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    said = next((line for line in lines if line.startswith("ews")), lines[-1] if lines else "(nothing on stderr)")
    return f"task {task_id!r}: {shlex.join(command)} exited {done.returncode}: {said}"


def check(dag_file: str, renderer: Renderer, launcher: str | None) -> tuple[dict | None, list[str]]:
    """Returns the JSON document (None when no DAG loaded) and the problems, one line each."""
    problems: list[str] = []

    loads = {version: load_dag_file(dag_file, version) for version in (3, 2)}
    errors = {version: error for version, (_, error) in loads.items() if error}
    for version, error in errors.items():
        if version == 3 or error != errors.get(3):
            problems.append(f"the DAG file failed to load under Airflow {version}'s modules: {error}")
    for version, (record, _) in loads.items():
        problems += [f"Airflow {version}: import of {name!r} is not provided by check_dag.py's stubs "
                     f"(if the DAG needs it, add a stub for it)" for name in dict.fromkeys(record.missing_imports)]
        problems += [f"Variable.get({key!r}) called while the DAG file is parsed; use {{{{ var.value.{key} }}}}"
                     for key in dict.fromkeys(record.variable_reads)]
    if 3 in errors:  # what it built is a torso: checking it would only add noise
        return None, list(dict.fromkeys(problems))

    record = loads[3][0]
    if len(record.dags) != 1:
        problems.append(f"the file defines {len(record.dags)} DAGs; expected exactly one")
        return None, list(dict.fromkeys(problems))
    dag = record.dags[0]
    if 2 not in errors and [task_summary(d) for d in loads[2][0].dags] != [task_summary(dag)]:
        problems.append("the DAG has other tasks or dependencies under Airflow 2's modules than under Airflow 3's")

    try:
        order = dependency_order(dag)
    except ValueError as e:
        return None, problems + [f"DAG {dag.dag_id!r}: {e}"]

    problems += check_dag_settings(dag)
    problems += check_start_date_variable(dag_file, dag.dag_id)
    rendered: dict[str, dict] = {}
    for task in order:
        problems += check_task_settings(task)
        rendered[task.task_id] = {}
        for field in task.TEMPLATE_FIELDS:
            if field in task.kwargs:
                try:
                    rendered[task.task_id][field] = renderer.render(task.kwargs[field],
                                                                    strict_variables=field == "application_args")
                except RenderError as e:
                    problems.append(f"task {task.task_id!r}: {field}: {e}")

    spark_tasks = [t for t in order if isinstance(t, SparkSubmitOperator)]
    args = {t.task_id: rendered[t.task_id].get("application_args") for t in spark_tasks}
    # The structural checks also look at arguments that did not render (reported above), so one missing Variable
    # does not read as a broken chain.
    shape = {t.task_id: args[t.task_id] or unrendered(renderer, t.kwargs.get("application_args")) for t in spark_tasks}
    problems += check_chain(spark_tasks, {t: command_of(a) for t, a in shape.items()})
    for task in spark_tasks:
        problems += check_arguments(task, shape[task.task_id])
    ingest = next((t for t in spark_tasks if command_of(shape[t.task_id]) == STAGE_CHAIN[0]), None)
    if ingest is not None:
        problems += check_sensor(ingest)

    # The Python tasks: arguments that fit the callable, then the callables called for real, under both module
    # layouts (their imports run when they are called), in the roles the chain gives them.
    bound = []
    for task in order:
        if is_python_task(task):
            found = check_callable_arguments(task, renderer)
            problems += found
            if not found:
                bound.append(task.task_id)  # only a callable whose arguments fit is called below
    maintain = next((t for t in spark_tasks if command_of(shape[t.task_id]) == MAINTAIN), None)
    gates = [t.task_id for t in (maintain.upstream if maintain else []) if isinstance(t, ShortCircuitOperator)]
    sensors = [t.task_id for t in (ingest.upstream if ingest else []) if isinstance(t, PythonSensor)]
    by_version: dict[int, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="ews-dag-check-") as root:
        zones = landing_zones(root, dt.date.fromisoformat(renderer.landing_date))
        for version, (record, error) in loads.items():
            if error or len(record.dags) != 1:
                continue
            tasks = record.dags[0].tasks
            found = []
            for task_id in (t for t in gates if t in bound and t in tasks):
                found += check_gate(tasks[task_id], version, renderer.landing_date, renderer.variables, dag_file)
            for task_id in (t for t in sensors if t in bound and t in tasks):
                found += check_sensor_callable(tasks[task_id], version, renderer.landing_date, renderer.variables,
                                               zones, dag_file)
            by_version[version] = found
    problems += by_version.get(3, [])
    problems += [f"{p} (Airflow 2's modules)" for p in by_version.get(2, []) if p not in by_version.get(3, [])]

    if launcher:
        for task in spark_tasks:
            if args[task.task_id] is not None:
                problem = run_launcher(launcher, task.task_id, args[task.task_id])
                problems += [problem] if problem else []

    start = dag.kwargs.get("start_date")
    document = {
        "dag_id": dag.dag_id,
        "start_date": start.date().isoformat() if isinstance(start, dt.datetime) else None,
        "tasks": [{"task_id": t.task_id, "operator": type(t).__name__,
                   "upstream": sorted(u.task_id for u in t.upstream),
                   "application_args": args[t.task_id]} for t in spark_tasks],
    }
    return document, list(dict.fromkeys(problems))


def unrendered(renderer: Renderer, value) -> list:
    """application_args rendered with placeholders for missing Variables, else as written."""
    try:
        value = renderer.render(value, strict_variables=False)
    except RenderError:
        pass
    return list(value) if isinstance(value, (list, tuple)) else []


def task_summary(dag: DAG) -> list[tuple]:
    return [(t.task_id, type(t).__name__, sorted(u.task_id for u in t.upstream)) for t in dag.tasks.values()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Checks the ews Airflow DAG without Airflow (see the module doc).")
    parser.add_argument("dag_file")
    parser.add_argument("--json", action="store_true", help="print the spark-submit tasks as JSON on stdout")
    parser.add_argument("--date", default="2025-12-01", help="landing date for {{ data_interval_start | ds }}")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="an Airflow Variable")
    parser.add_argument("--launcher", help="run '<launcher> <args> --dry-run' for every spark-submit task")
    a = parser.parse_args(argv)
    try:
        dt.date.fromisoformat(a.date)
    except ValueError:
        parser.error(f"--date {a.date!r} is not a date YYYY-MM-DD")
    variables = {}
    for item in a.var:
        name, eq, value = item.partition("=")
        if not eq or not name:
            parser.error(f"--var {item!r} is not NAME=VALUE")
        variables[name] = value
    if not os.path.isfile(a.dag_file):
        parser.error(f"no DAG file {a.dag_file!r}")
    if a.launcher and not (os.path.isfile(a.launcher) and os.access(a.launcher, os.X_OK)):
        parser.error(f"--launcher {a.launcher!r} is not an executable file")

    document, problems = check(a.dag_file, Renderer(a.date, variables), a.launcher)
    name = os.path.basename(a.dag_file)
    if a.json and document is not None:
        print(json.dumps(document, indent=2))
    elif document is not None:
        print(f"{document['dag_id']} ({a.dag_file}), start date {document['start_date']}, landing date {a.date}:")
        for t in document["tasks"]:
            command = shlex.join(t["application_args"]) if t["application_args"] is not None else "(not rendered)"
            print(f"  {t['task_id']:<10} after {', '.join(t['upstream']) or '-':<24} {command}")
        if not problems:
            print("all checks passed" + (f"; {a.launcher} accepted every command (--dry-run)" if a.launcher else ""))
    for problem in problems:
        print(f"{name}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
