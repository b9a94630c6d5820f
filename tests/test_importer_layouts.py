"""Each layout a document arrives in, as .txt, .docx, .xlsx and .pdf, read to the same tasks.

The documents are in documents.py. The .pdf files are made from the .docx by LibreOffice,
all in one run (it is slow); without LibreOffice those tests skip, unless
PLANTRACK_REQUIRE_TOOLS=1 (set by .ci/run).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from documents import CHECKLIST, GROUPED_HEADER, LABELS, LAYOUTS, NUMBERING, TABLE, Layout
from helpers import DATA, SOURCE_TEXT, Invoke, bundled_plan, to_pdf
from plantrack.core.model import Plan, Task
from plantrack.importer import convert as importer
from plantrack.planfile.load import parse_plan

Shape = list[tuple[int, int, list[tuple[list[str], list[str]]]]]


def supporting(task: Task) -> list[str]:
    """The task's supporting units across its clauses, each once, in order."""
    return list(dict.fromkeys(name for clause in task.clauses for name in clause.support))


def shape(plan: Plan) -> Shape:
    """Every task's number and section, and each clause's lead and responsible units."""
    return [
        (
            task.id,
            plan.task_sections[task.id].number,
            [(clause.lead, clause.responsible) for clause in task.clauses],
        )
        for task in plan.tasks
    ]


def imported_plan(document: Path, year: int | None = None) -> tuple[Plan, importer.Imported]:
    """Import a file as the command does, and the plan it would write."""
    imported = importer.import_document(document, year=year)
    assert not imported.refused, imported.problems
    return parse_plan(imported.text, str(document)), imported


def assert_reads_as(layout: Layout, document: Path) -> None:
    """The document gives the layout's tasks, sections, units and supporting units."""
    plan, _ = imported_plan(document)
    assert shape(plan) == list(layout.tasks)
    assert {t.id: supporting(t) for t in plan.tasks if supporting(t)} == layout.support


def rendered(layout: Layout, folder: Path, suffix: str) -> Path:
    """The layout written as a .txt, .docx or .xlsx file."""
    path = folder / f"{layout.name}.{suffix}"
    if suffix == "txt":
        path.write_text(layout.text(), encoding="utf-8")
        return path
    return layout.docx(path) if suffix == "docx" else layout.xlsx(path)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every layout and the 2023 source as PDF, made by LibreOffice from .docx in one run."""
    folder = tmp_path_factory.mktemp("pdf")
    documents = [layout.docx(folder / f"{layout.name}.docx") for layout in LAYOUTS]
    documents.append(_seed_docx(folder / "seed.docx"))
    to_pdf(*documents)
    return {document.stem: document.with_suffix(".pdf") for document in documents}


def _seed_docx(path: Path) -> Path:
    """The 2023 source as a Word file: one paragraph per line of text."""
    lines = [line for line in SOURCE_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Layout("seed", tuple(lines), ()).docx(path)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize("suffix", ["txt", "docx"])
def test_layout_reads_every_lead_and_responsible_unit(
    layout: Layout, suffix: str, tmp_path: Path
) -> None:
    assert_reads_as(layout, rendered(layout, tmp_path, suffix))


@pytest.mark.parametrize(
    "layout", [TABLE, CHECKLIST, GROUPED_HEADER], ids=lambda layout: layout.name
)
def test_a_table_reads_the_same_from_excel(layout: Layout, tmp_path: Path) -> None:
    assert_reads_as(layout, rendered(layout, tmp_path, "xlsx"))


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_layout_reads_the_same_from_pdf(layout: Layout, pdfs: dict[str, Path]) -> None:
    assert_reads_as(layout, pdfs[layout.name])


def test_the_2023_source_as_word_and_pdf_imports_to_the_bundled_plan(
    pdfs: dict[str, Path],
) -> None:
    from_text = importer.import_document(SOURCE_TEXT, year=2023).text
    for document in (pdfs["seed"].with_suffix(".docx"), pdfs["seed"]):
        plan, imported = imported_plan(document, 2023)
        assert shape(plan) == shape(bundled_plan())
        assert [t.title for t in plan.tasks] == [t.title for t in bundled_plan().tasks]
        assert imported.notes == []
        # Line for line the plan the text gives, but for the file name in the first comment.
        assert imported.text.splitlines()[2:] == from_text.splitlines()[2:]


def test_a_cover_notice_gives_issuer_number_and_date_never_tasks(tmp_path: Path) -> None:
    plan, _ = imported_plan(rendered(LABELS, tmp_path, "docx"))
    assert (plan.issuer, plan.doc_number, plan.issued) == (
        "XX区人民政府办公室",
        "X府办发〔2024〕6号",
        dt.date(2024, 2, 20),
    )
    assert plan.title == "XX区2024年重点工作任务分工方案"
    assert "印发" not in plan.preamble and plan.tasks[0].title == "努力实现地区生产总值增长6.2%左右"


def test_a_completion_column_gives_dates_and_standing_duties(
    tmp_path: Path,
) -> None:
    plan, _ = imported_plan(rendered(TABLE, tmp_path, "docx"))
    dates = {t.id: [str(d.date or d.every) for d in t.deadlines] for t in plan.tasks}
    assert dates == {1: ["2024-06-30"], 2: ["2024-09-30"], 3: ["quarter"], 4: ["None"]}
    # 长期坚持 is a standing duty: shown as such, with why it has no date, not due at year end.
    [standing] = plan.tasks_by_id[4].deadlines
    assert standing.label == "长期坚持" and "没有截止日期" in (standing.date_source or "")
    from plantrack.core.schedule import occurrences

    assert [occ.date for occ in occurrences(plan.tasks_by_id[4], plan)] == [None]


def test_odd_numbering_still_finds_every_item_and_names_each_oddity(
    cli: Invoke, tmp_path: Path
) -> None:
    document = rendered(NUMBERING, tmp_path, "docx")
    out = tmp_path / "plan.yaml"
    result = cli("import", str(document), "-o", str(out))
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        f"{document}:5: 任务编号从 2 跳到 4：原文没有第 3 项，已照原编号读取，请核对原文是否漏项",
        f"{document}:7: 任务编号 4 重复（上一项是 4）：仍作为新的一项读取，记为第 5 项，"
        "其后各项顺延，请核对原文",
        f"{document}:9: 编号 6 与标题开头的数字相连（6.121人才梯队项目）：已作为第 6 项读取，"
        "标题为“121人才梯队项目”，请核对",
    ]
    plan = parse_plan(out.read_text(encoding="utf-8"), str(out))
    assert [t.title for t in plan.tasks][-3:] == ["加强教育培训", "121人才梯队项目", "建立导师制度"]


def test_the_committed_sample_is_still_the_labels_layout() -> None:
    # Regenerate with: python tools/make_sample_docx.py
    assert_reads_as(LABELS, DATA / "docs" / "2024年重点工作任务分工方案.docx")
