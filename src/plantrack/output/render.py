"""The Jinja2 environment: templates from --templates or the packaged ones, escaped, strict.

The report context holds plain data; how it looks (CSS classes, text bars, Markdown escapes)
is decided here, in filters the templates call.
"""

from __future__ import annotations

import datetime as dt
import io
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.model import Status
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
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters.update(FILTERS)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise PlantrackError(f"{exc.filename}:{exc.lineno}: 模板语法错误：{exc.message}") from None
    except Exception as exc:  # a user's template can fail in any way; say where
        raise template_error(exc, folder / name) from None


def _shown(value: object) -> object:
    # Every value a template prints: control characters become escapes (XML forbids them).
    return printable(value) if isinstance(value, str) else value


def render_docx(name: str, context: dict[str, Any], *, templates: Path | None = None) -> bytes:
    """Fill the Word template name (docxtpl: Jinja2 inside the document) with the context."""
    import jinja2
    from docxtpl import DocxTemplate

    path = _template(name, templates)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_shown)
    env.filters.update(FILTERS)
    try:
        document = DocxTemplate(path)
        document.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise PlantrackError(f"{path}: Word 模板中的 Jinja 语法错误：{exc.message}") from None
    except Exception as exc:  # a user's template can fail in any way; say where
        raise template_error(exc, path) from None
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


FILTERS: dict[str, Callable[..., str]] = {
    "cell": markdown_cell,
    "md": markdown_text,
    "bar": text_bar,
    "status_css": STATUS_CSS.__getitem__,
    "level_css": LEVEL_CSS.__getitem__,
    "problem_css": PROBLEM_CSS.__getitem__,
    "cn_date": cn_date,
    "cn_number": to_chinese,
}
