"""The Jinja2 environment: templates from --templates or the packaged ones, escaped, strict.

The report context holds plain data; how it looks (CSS classes, text bars, Markdown escapes)
is decided here, in filters the templates call.

Templates are files anyone with the repository can change, and a CI job renders them, so
they run in Jinja2's sandbox: they read the report's data and call its filters, and cannot
reach Python's internals (`cycler.__init__.__globals__`), build a huge number or string in
one operation, or loop for ever: a render stops after RENDER_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import io
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from plantrack.core.domain import Status
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.numerals import to_chinese
from plantrack.core.wording import chinese_date
from plantrack.output.display import printable
from plantrack.planfile import files

STATUS_CSS = {
    Status.NOT_STARTED.value: "todo",
    Status.IN_PROGRESS.value: "doing",
    Status.DONE.value: "done",
    Status.BLOCKED.value: "blocked",
}
LEVEL_CSS = {"红": "red", "黄": "yellow", "绿": "green"}
# 存在的问题: missed is red, done late is amber, blocked is the blocked status's colour.
PROBLEM_CSS = {"逾期": "red", "逾期完成": "yellow", "受阻": "blocked"}
BAR_WIDTH = 20
RENDER_SECONDS = 30
LARGEST_VALUE = 10**6  # characters or items one operation in a template may make


_PLAIN_VALUES = frozenset([str, int, float, bool, type(None), list, tuple, dict, dt.date])


class RenderTimeout(Exception):
    """A template that ran past RENDER_SECONDS."""


def _environment(**options: Any) -> Any:
    """A sandboxed Jinja2 environment with the report filters and a bounded range."""
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.SandboxedEnvironment):
        """Refuses operations whose result alone would exhaust the machine."""

        intercepted_binops = frozenset(["*", "**"])

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # The report is plain values: settle them without the sandbox's slower checks.
            if type(value) in _PLAIN_VALUES and not attr.startswith("_"):
                return True
            return bool(super().is_safe_attribute(obj, attr, value))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_size(operator, left, right)
            return super().call_binop(context, operator, left, right)

    env = Sandbox(undefined=jinja2.StrictUndefined, finalize=_shown, **options)
    env.filters.update(FILTERS)
    env.globals["range"] = _bounded_range(time.monotonic() + RENDER_SECONDS)
    return env


def _check_size(operator: str, left: Any, right: Any) -> None:
    from jinja2.exceptions import SecurityError

    if isinstance(left, int) and isinstance(right, int):
        big = operator == "**" and right > 0 and max(left.bit_length(), 1) * right > LARGEST_VALUE
    else:
        sized, times = (left, right) if isinstance(right, int) else (right, left)
        big = (
            isinstance(times, int)
            and hasattr(sized, "__len__")
            and len(sized) * times > LARGEST_VALUE
        )
    if big:
        raise SecurityError(f"运算 {operator} 的结果过大（超过 {LARGEST_VALUE} 个字符或项）")


def _bounded_range(deadline: float) -> Callable[..., Iterator[int]]:
    """range for templates: at most LARGEST_VALUE items, checked against the render deadline."""
    from jinja2.exceptions import SecurityError

    def bounded(*bounds: int) -> Iterator[int]:
        numbers = range(*bounds)
        if len(numbers) > LARGEST_VALUE:
            raise SecurityError(f"range 过长（超过 {LARGEST_VALUE} 项）")
        for number in numbers:
            if time.monotonic() > deadline:
                raise RenderTimeout
            yield number

    return bounded


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after seconds where the system can interrupt it (a POSIX main thread)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield  # elsewhere, the bounded range and operations still hold
        return

    def expired(signum: int, frame: object) -> None:
        raise RenderTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cn_date(value: object) -> str:
    """2023-10-08 (a date or its ISO text) as 2023年10月8日, as 公文 write dates."""
    text = str(value)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return chinese_date(day)


def packaged_templates() -> Path:
    """The templates shipped in the wheel, or the repository's templates/ in a checkout."""
    installed = Path(__file__).resolve().parents[1] / "templates"
    if (installed / "report.md.j2").is_file():
        return installed
    return Path(__file__).resolve().parents[3] / "templates"


def render(name: str, context: dict[str, Any], *, templates: Path | None = None) -> str:
    """Render the template name, found in templates or the packaged folder."""
    import jinja2

    folder = _template(name, templates).parent
    env = _environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        with _time_limit(RENDER_SECONDS):
            return str(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise PlantrackError(f"{exc.filename}:{exc.lineno}: 模板语法错误：{exc.message}") from None
    except Exception as exc:  # a user's template can fail in any way; say where
        raise template_error(exc, folder / name) from None


def _shown(value: object) -> object:
    # Every value a template prints: control characters become escapes (XML forbids them).
    return printable(value) if isinstance(value, str) else value


def render_docx(
    name: str,
    context: dict[str, Any],
    *,
    templates: Path | None = None,
    title: str = "",
    author: str = "",
) -> bytes:
    """Fill the Word template name (docxtpl: Jinja2 inside the document) with the context."""
    import jinja2
    from docxtpl import DocxTemplate

    path = _template(name, templates)
    env = _environment(autoescape=True)
    try:
        document = DocxTemplate(path)
        with _time_limit(RENDER_SECONDS):
            document.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise PlantrackError(f"{path}: Word 模板中的 Jinja 语法错误：{exc.message}") from None
    except Exception as exc:  # a user's template can fail in any way; say where
        raise template_error(exc, path) from None
    properties = document.docx.core_properties
    properties.title, properties.author = title, author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_error(exc: Exception, path: Path) -> PlantrackError:
    """A template's failure as a message naming the template file and, if known, its line."""
    import jinja2

    where = str(path)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        # Jinja runs a template as code whose file name is the template's own path.
        if not frame.filename.endswith(".py") and not frame.filename.startswith("<"):
            where = f"{frame.filename}:{frame.lineno}"
            break
    if isinstance(exc, RenderTimeout):
        return PlantrackError(
            f"{where}: 模板运行超过 {RENDER_SECONDS} 秒，已停止：请检查模板中的循环"
        )
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return PlantrackError(
            f"{where}: 模板做了沙箱不允许的事：{_forbidden(exc)}。模板只能读取报告的数据、"
            "调用报告提供的过滤器（见 README“季度进展报告”一节关于模板的说明）"
        )
    if isinstance(exc, jinja2.UndefinedError):
        return PlantrackError(f"{where}: 模板引用了不存在的字段：{exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return PlantrackError(
            f"{where}: 模板要引入的模板 {exc.name} 不存在：请检查 include/extends"
        )
    if isinstance(exc, UnicodeDecodeError):
        return PlantrackError(f"{where}: 模板不是 UTF-8 编码：请另存为 UTF-8 后重试")
    if isinstance(exc, RecursionError):
        return PlantrackError(f"{where}: 模板无限递归（宏或 include 调用了自身）")
    return PlantrackError(f"{where}: 模板运行出错：{type(exc).__name__}: {exc}")


def has_template(name: str, templates: Path | None) -> bool:
    """Tell whether the templates folder (or the packaged one) has the template name."""
    return files.is_file((templates or packaged_templates()) / name)


def _forbidden(exc: Exception) -> str:
    """What the sandbox refused, in Chinese: Jinja says it in English, ours say it already."""
    import re

    said = str(exc).rstrip(".")
    attribute = re.search(r"access to attribute '([^']+)'", said)
    if attribute:
        return f"读取内部属性 {attribute.group(1)}"
    if said.isascii():
        return f"调用不安全的对象（{said}）"
    return said


def _template(name: str, templates: Path | None) -> Path:
    folder = templates or packaged_templates()
    if not files.is_file(folder / name):
        raise UsageError(f"{folder}: 找不到模板 {name}。请检查 --templates 指向的目录")
    return folder / name


def text_bar(percent: float) -> str:
    """A bar of BAR_WIDTH characters for Markdown, filled to percent."""
    filled = round(percent / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def markdown_text(value: object) -> str:
    """Make user text inert in Markdown: no raw HTML, tables, headings or emphasis; one line."""
    text = "" if value is None else printable(str(value))
    for char in "\\`*_[]<>|#&!~":
        text = text.replace(char, "\\" + char)
    return " ".join(line.strip() for line in text.splitlines())


def markdown_cell(value: object) -> str:
    """Make text safe inside a GitHub-flavoured Markdown table cell."""
    text = "" if value is None else str(value)
    lines = [markdown_text(line) for line in text.splitlines()]
    return "<br>".join(lines) or " "


def cn_ref(ref: str) -> str:
    """A task or its clauses as a 公文 names them: 13 第13项, 7.3 第7项第3条, 7.1、7.2 第7项第1、2条."""
    task, _, clauses = ref.partition(".")
    if not clauses:
        return f"第{task}项"
    numbers = [part.split(".")[-1] for part in ref.split("、")]
    return f"第{task}项第{'、'.join(numbers)}条"


FILTERS: dict[str, Callable[..., str]] = {
    "cell": markdown_cell,
    "md": markdown_text,
    "bar": text_bar,
    "status_css": STATUS_CSS.__getitem__,
    "level_css": LEVEL_CSS.__getitem__,
    "problem_css": PROBLEM_CSS.__getitem__,
    "cn_date": cn_date,
    "cn_number": to_chinese,
    "cn_ref": cn_ref,
}
