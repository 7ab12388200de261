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
  - the DAG has max_active_runs == 1, catchup True, a start_date and an explicit CronDataIntervalTimetable;
  - no Variable.get while the file is parsed; no template in a field Airflow does not render;
  - every template renders. Known expressions: {{ data_interval_start | ds }} (--date), {{ run_id }}
    (scheduled__<date>T02:00:00+00:00), {{ var.value.NAME }} and {{ var.value.get('NAME', 'default') }} (--var).
    Any other expression fails the check: teach the renderer (and say what it renders to) before the DAG uses it.
    A Variable without a --var value and without a default fails in application_args (they are the launcher's
    arguments); in other fields it renders as <Variable NAME>.
  - with --launcher: `<launcher> <rendered application_args> --dry-run` exits 0 for every spark-submit task
    (the launcher validates command, options, values and the configuration file without starting Spark).

--json prints {"dag_id", "tasks": [{"task_id", "operator", "upstream", "application_args"}]} on stdout for the
spark-submit tasks in dependency order (also when a check fails, as far as the DAG loaded).

Python standard library only; no jinja2.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.abc
import importlib.machinery
import json
import os
import re
import runpy
import shlex
import subprocess
import sys
import traceback

# The nightly stages in the order they must run; maintain follows them behind the weekly gate.
STAGE_CHAIN = ["ingest", "conform", "metrics", "anomalies", "publish"]
MAINTAIN = "maintain"


class Recorder:
    """What one run of the DAG file did: the DAGs it built, Airflow imports the stubs lacked, Variable reads."""

    def __init__(self):
        self.dags: list[DAG] = []
        self.missing_imports: list[str] = []
        self.variable_reads: list[str] = []


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
    "airflow.sdk": {"DAG": DAG, "Variable": Variable},
    "airflow.providers.standard.operators.python": {"ShortCircuitOperator": ShortCircuitOperator},
    "airflow.providers.standard.sensors.python": {"PythonSensor": PythonSensor},
}
AIRFLOW_2_ONLY = {
    "airflow.operators.python": {"ShortCircuitOperator": ShortCircuitOperator},
    "airflow.sensors.python": {"PythonSensor": PythonSensor},
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


def load_dag_file(dag_file: str, version: int) -> tuple[Recorder, str | None]:
    """Runs the DAG file under the stubs of one Airflow version; returns what it built and its error, if any."""
    global RECORD
    RECORD = Recorder()
    DAG._open.clear()
    importer = StubImporter(version)
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m == "airflow" or m.startswith("airflow.")}
    sys.meta_path.insert(0, importer)
    error = None
    try:
        runpy.run_path(dag_file, run_name="ews_dag_check")
    except Exception as e:  # the DAG file's own error, reported with its line
        lines = [f.lineno for f in traceback.extract_tb(e.__traceback__)
                 if os.path.abspath(f.filename) == os.path.abspath(dag_file)]
        where = f"line {lines[-1]}: " if lines else ""
        error = f"{where}{type(e).__name__}: {e}"
    finally:
        sys.meta_path.remove(importer)
        for m in [m for m in sys.modules if m == "airflow" or m.startswith("airflow.")]:
            del sys.modules[m]
        sys.modules.update(saved)
    return RECORD, error


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
    elif not schedule.timezone:
        problems.append(f"DAG {dag.dag_id!r}: the timetable has no timezone; expected UTC")
    if not isinstance(k.get("start_date"), dt.datetime):
        problems.append(f"DAG {dag.dag_id!r}: no fixed start_date")
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

    if launcher:
        for task in spark_tasks:
            if args[task.task_id] is not None:
                problem = run_launcher(launcher, task.task_id, args[task.task_id])
                problems += [problem] if problem else []

    document = {
        "dag_id": dag.dag_id,
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
        print(f"{document['dag_id']} ({a.dag_file}), landing date {a.date}:")
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
