"""Documents in each layout the importer reads, written once and rendered as .txt, .docx and .xlsx.

Each layout is a list of parts: a paragraph (str) or a table (rows of cells). A row with
one cell is a heading merged across the table. With each layout goes what a person reads
in it: every task's number, section, and each clause's lead and responsible units.
The .pdf renderings are made from the .docx by LibreOffice (see test_importer.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Row = tuple[str, ...]
Part = str | tuple[Row, ...]
# (task id, section number, [(lead, responsible) for each clause])
Expected = tuple[int, int, list[tuple[list[str], list[str]]]]


@dataclass(frozen=True)
class Layout:
    """A test document and what must be read from it."""

    name: str
    parts: tuple[Part, ...]
    tasks: tuple[Expected, ...]
    support: dict[int, list[str]] = field(default_factory=dict)
    year: int = 2024

    def text(self) -> str:
        """The document as plain text: a table row as tab-separated cells."""
        lines: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                lines.append(part)
            else:
                lines += ["\t".join(row) if len(row) > 1 else row[0] for row in part]
        return "\n".join(lines) + "\n"

    def docx(self, path: Path) -> Path:
        """The document as Word writes it: paragraphs, and tables with ruled cells."""
        from docx import Document

        document = Document()
        for part in self.parts:
            if isinstance(part, str):
                document.add_paragraph(part)
                continue
            width = max(len(row) for row in part)
            table = document.add_table(rows=len(part), cols=width)
            table.style = "Table Grid"
            for row, cells in zip(table.rows, part, strict=True):
                if len(cells) == 1:
                    merged = row.cells[0].merge(row.cells[width - 1])
                    merged.text = cells[0]
                    continue
                for cell, text in zip(row.cells, cells, strict=False):
                    cell.text = text
        document.save(str(path))
        return path

    def xlsx(self, path: Path) -> Path:
        """The document's tables as one sheet, the way a 台账 arrives in Excel."""
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        for part in self.parts:
            rows = [(part,)] if isinstance(part, str) else part
            for row in rows:
                sheet.append(list(row))
        workbook.save(str(path))
        return path


LABELS = Layout(
    "labels",
    (
        "XX区人民政府办公室文件",
        "X府办发〔2024〕6号",
        "关于印发XX区2024年重点工作任务分工方案的通知",
        "各镇街,区政府各部门:",
        "现将《XX区2024年重点工作任务分工方案》印发给你们,请认真抓好落实。",
        "XX区人民政府办公室",
        "2024年2月20日",
        "XX区2024年重点工作任务分工方案",
        "为确保全年目标任务完成,现将重点工作任务分工如下。",
        "一、经济发展主要预期目标",
        "1.努力实现地区生产总值增长6.2%左右。",
        "牵头单位:区发改局",
        "责任单位:立山经济开发区,全区经济运行各专班",
        "2.一般公共预算收入增长5%。",
        "牵头单位:区财政局",
        "责任单位:区税务局、各镇街",
        "二、重点任务",
        "1、扩大有效投资,全年实施重点项目120个以上。",
        "牵头部门:区发改局",
        "责任部门:区住建局;区交通局",
        "完成时限:2024年12月底前",
        "2、优化营商环境,6月30日前完成政务服务事项清单修订。",
        "牵头科室：区政务服务中心",
        "配合单位:区司法局、区市场监管局",
        "牵头领导：张三",
        "3、深化“放管服”改革,推行“一网通办”,网上可办率达到98%。",
        "牵头处室:区行政审批局",
        "协办单位:区大数据中心",
    ),
    (
        (1, 1, [(["区发改局"], ["立山经济开发区", "全区经济运行各专班"])]),
        (2, 1, [(["区财政局"], ["区税务局", "各镇街"])]),
        (3, 2, [(["区发改局"], ["区住建局", "区交通局"])]),
        (4, 2, [(["区政务服务中心"], [])]),
        (5, 2, [(["区行政审批局"], [])]),
    ),
    support={4: ["区司法局", "区市场监管局"], 5: ["区大数据中心"]},
)

BRACKETS = Layout(
    "brackets",
    (
        "XX市交通运输局2024年依法行政工作要点",
        "一、制度建设",
        "1.清理规范性文件。年底前完成清理。（牵头处室：法规处；责任处室：办公室，财务处；"
        "配合单位：市交通执法支队）",
        "2.完善权责清单。（牵头部门：法规处、政务服务处 责任部门：各直属单位）",
        "二、执法监督",
        "3.开展执法评议。每季度开展1次。(牵头科室:执法监督处,责任科室:执法一大队;执法二大队,"
        "参与单位:市公路中心)",
        "4.配合开展法治督察。(协办单位:办公室)",
        "5.推进执法规范化。统一执法文书。（责任单位：执法一大队）细化裁量基准。"
        "（牵头单位：法规处，责任单位：执法二大队）",
    ),
    (
        (1, 1, [(["法规处"], ["办公室", "财务处"])]),
        (2, 1, [(["法规处", "政务服务处"], ["各直属单位"])]),
        (3, 2, [(["执法监督处"], ["执法一大队", "执法二大队"])]),
        (4, 2, [([], [])]),
        (5, 2, [([], ["执法一大队"]), (["法规处"], ["执法二大队"])]),
    ),
    support={1: ["市交通执法支队"], 3: ["市公路中心"], 4: ["办公室"]},
)

PHRASES = Layout(
    "phrases",
    (
        "某市交通运输局2024年法治政府建设工作要点",
        "2024年是实施“八五”普法规划的关键之年。",
        "一、健全依法决策机制",
        "（一）严格落实重大行政决策程序。重大行政决策事项全部履行法定程序"
        "（法规处牵头，各处室按职责分工负责）。",
        "（二）加强合法性审查。①规范性文件全部经过合法性审查；②重大合同审查率达到100%：",
        "1.合同审查意见书面反馈；",
        "2.审查台账按月更新。",
        "（法规处牵头，办公室、财务处配合）",
        "二、规范行政执法",
        "（三）推行行政执法“三项制度”。执法公示信息及时公开（执法监督处牵头，"
        "市交通综合执法支队负责落实）。",
        "（四）开展案卷评查。每半年开展一次案卷评查。",
        "（牵头处室：执法监督处；参与单位：市交通综合执法支队）",
    ),
    (
        (1, 1, [(["法规处"], ["各处室"])]),
        (2, 1, [(["法规处"], [])]),
        (3, 2, [(["执法监督处"], ["市交通综合执法支队"])]),
        (4, 2, [(["执法监督处"], [])]),
    ),
    support={2: ["办公室", "财务处"], 4: ["市交通综合执法支队"]},
)

DEEP = Layout(
    "deep",
    (
        "XX区交通运输局2024年安全生产工作要点",
        "一、压实安全责任",
        "(1)落实安全生产责任制。签订责任书。(牵头科室:局安监科;责任科室:局办公室、局运输科)",
        "(2)开展隐患排查。",
        "①每月开展一次隐患排查;",
        "②重大隐患挂牌督办。",
        "（牵头科室：局安监科，参与单位：区交通执法支队）",
        "二、强化应急管理",
        "(3)修订应急预案。10月31日前完成修订。（由局应急办牵头，局属各单位负责落实）",
    ),
    (
        (1, 1, [(["局安监科"], ["局办公室", "局运输科"])]),
        (2, 1, [(["局安监科"], [])]),
        (3, 2, [(["局应急办"], ["局属各单位"])]),
    ),
    support={2: ["区交通执法支队"]},
)

TABLE = Layout(
    "table",
    (
        "XX县2024年优化营商环境重点任务分工表",
        (
            ("序号", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"),
            ("一、提升政务服务水平",),
            (
                "1",
                "推进“一网通办”",
                "政务服务事项网上可办率达到95%以上。",
                "县行政审批局",
                "县大数据中心、各乡镇",
                "2024年6月底前",
            ),
            (
                "2",
                "压缩审批时限",
                "工程建设项目审批时限压缩至60个工作日以内。",
                "县住建局",
                "县自然资源局，县发改局",
                "2024年9月30日前",
            ),
            ("二、加强市场监管",),
            (
                "3",
                "开展“双随机、一公开”监管",
                "每季度开展一次联合抽查。",
                "县市场监管局",
                "县直有关部门",
                "每季度",
            ),
            ("4", "清理拖欠企业账款", "建立台账，逐笔销号。", "县财政局", "", "长期坚持"),
        ),
    ),
    (
        (1, 1, [(["县行政审批局"], ["县大数据中心", "各乡镇"])]),
        (2, 1, [(["县住建局"], ["县自然资源局", "县发改局"])]),
        (3, 2, [(["县市场监管局"], ["县直有关部门"])]),
        (4, 2, [(["县财政局"], [])]),
    ),
)

NUMBERING = Layout(
    "numbering",
    (
        "XX市交通运输局2024年人才工作要点",
        "一、人才引进",
        "1.实施青年人才计划。引进青年人才10名。（牵头单位：人事处）",
        "2.开展校园招聘。赴高校开展招聘。（牵头单位：人事处，责任单位：各直属单位）",
        "4.完善引才政策。修订引才办法。（牵头单位：人事处、法规处）",
        "二、人才培养",
        "4.开展岗位练兵。组织技能竞赛。（牵头单位：工会）",
        "5.加强教育培训。全年培训不少于500人次。（牵头单位：人事处）",
        "6.121人才梯队项目。遴选121名骨干。（牵头单位：人事处）",
        "7.建立导师制度。（牵头单位：人事处，责任单位：各处室）",
    ),
    (
        (1, 1, [(["人事处"], [])]),
        (2, 1, [(["人事处"], ["各直属单位"])]),
        (4, 1, [(["人事处", "法规处"], [])]),
        (5, 2, [(["工会"], [])]),
        (6, 2, [(["人事处"], [])]),
        (7, 2, [(["人事处"], [])]),
        (8, 2, [(["人事处"], ["各处室"])]),
    ),
)

# No 序号 column, no 牵头 column; a row with no task continues the one above.
CHECKLIST = Layout(
    "checklist",
    (
        "2024年交通运输重点工作任务清单",
        (
            ("重点工作", "工作目标", "责任部门", "配合部门", "时间要求"),
            ("推进公路建设", "完成国省道改造30公里。", "局建管科", "区公路中心", "11月底前"),
            ("", "完成农村公路提档升级50公里。", "局建管科、区公路中心", "", "12月31日前"),
            ("加强安全监管", "开展安全生产大检查。", "局安监科", "区交通执法支队", "每月"),
        ),
    ),
    (
        (1, 1, [([], ["局建管科"]), ([], ["局建管科", "区公路中心"])]),
        (2, 1, [([], ["局安监科"])]),
    ),
    support={1: ["区公路中心"], 2: ["区交通执法支队"]},
)

INLINE = Layout(
    "inline",
    (
        "XX区交通运输局2024年交通建设工作要点",
        "第一部分 项目建设",
        "1）推进重点项目建设。全年完成投资20亿元。牵头单位：局建管科 责任单位：区公路中心、区港航中心",
        "2）加快农村公路建设。牵头单位：局建管科；配合单位：各镇街",
        "第二部分 行业管理",
        "3）规范工程招投标。（局建管科牵头，局法规科配合）",
    ),
    (
        (1, 1, [(["局建管科"], ["区公路中心", "区港航中心"])]),
        (2, 1, [(["局建管科"], [])]),
        (3, 2, [(["局建管科"], [])]),
    ),
    support={2: ["各镇街"], 3: ["局法规科"]},
)

# 责任单位 over two columns, split by a second header row into 牵头 and 配合.
GROUPED_HEADER = Layout(
    "grouped-header",
    (
        "XX区2024年交通运输工作任务分解表",
        (
            ("序号", "重点任务", "责任单位", "责任单位", "完成时限"),
            ("", "", "牵头单位", "配合单位", ""),
            (
                "1",
                "推进轨道交通建设，开工建设3号线二期。",
                "区交通局",
                "区发改委、区财政局",
                "12月底前",
            ),
            ("2", "完善公交线网，新开公交线路5条。", "区交通局", "区公交公司", "9月底前"),
        ),
    ),
    (
        (1, 1, [(["区交通局"], [])]),
        (2, 1, [(["区交通局"], [])]),
    ),
    support={1: ["区发改委", "区财政局"], 2: ["区公交公司"]},
)

# A State Council style 分工方案: bare brackets, the lead rule stated once (下同), 会同,
# several brackets in one paragraph, a collective joined by 和.
DIVISION = Layout(
    "division",
    (
        "2024年城市公共交通高质量发展重点任务分工方案",
        "一、优化公交线网",
        "（一）完善线网规划。编制城市公交线网规划，推进干线、支线衔接。"
        "（交通运输部、国家发展改革委负责。列第一位者为牵头单位，下同）",
        "（二）提升运行效率。推广公交专用道（公安部、交通运输部负责），完善路口信号优先（公安部负责）。",
        "二、保障运营资金",
        "（三）落实补贴政策。建立公交成本规制制度（财政部会同有关部门负责）。",
        "（四）拓宽融资渠道。引导金融机构加大支持。（国家开发银行、中国人民银行等和各省级人民政府负责）",
    ),
    (
        (1, 1, [(["交通运输部"], ["国家发展改革委"])]),
        (2, 1, [(["公安部"], ["交通运输部"]), (["公安部"], [])]),
        (3, 2, [(["财政部"], ["有关部门"])]),
        (4, 2, [(["国家开发银行"], ["中国人民银行", "各省级人民政府"])]),
    ),
)

# A province's 重点工作分工: no lead rule, 牵头负责, 按职责分工负责 with a sentence for the
# regions, a phrase whose later names drop the shared 省, and a 负责部门 label.
PROVINCE = Layout(
    "province",
    (
        "某省2024年数字经济重点工作分工",
        "一、夯实数字基础设施",
        "1.加快5G网络建设。新建基站1万个。（省通信管理局、省工业和信息化厅按职责分工负责，"
        "各市结合实际落实）",
        "2.推进算力中心建设。（省发展改革委、省工业和信息化厅牵头负责）",
        "二、发展数字产业",
        "3.培育软件企业。（省工业和信息化厅牵头，省委宣传部、科技厅、文化和旅游厅按职责分工负责）",
        "4.壮大电子信息制造业。（负责部门：省工业和信息化厅、省商务厅；适用范围：全省重点园区）",
    ),
    (
        (1, 1, [([], ["省通信管理局", "省工业和信息化厅"])]),
        (2, 1, [(["省发展改革委", "省工业和信息化厅"], [])]),
        (3, 2, [(["省工业和信息化厅"], ["省委宣传部", "省科技厅", "省文化和旅游厅"])]),
        (4, 2, [([], ["省工业和信息化厅", "省商务厅"])]),
    ),
)

# A 实施方案 with its 总体要求 (no assignments: text, not tasks), tasks under 重点任务,
# 保障措施, a closing paragraph and a signature whose date is no deadline.
FRAMEWORK = Layout(
    "framework",
    (
        "2024年城市更新重点任务实施方案",
        "一、总体要求",
        "（一）指导思想。以新发展理念为指导，统筹发展和安全。",
        "（二）基本原则。坚持规划引领，坚持民生优先。",
        "（三）发展目标。到2025年，完成老旧小区改造2000个。",
        "二、重点任务",
        "（四）推进老旧小区改造。完善小区配套设施（住房城乡建设部、国家发展改革委负责）。",
        "（五）加强历史文化保护。建立保护名录（住房城乡建设部会同国家文物局负责）。",
        "三、保障措施",
        "（六）加强组织领导。各地区各部门要高度重视，抓好落实。",
        "各地区要结合实际制定具体措施，重大问题及时报告。",
        "国务院办公厅",
        "2024年3月1日",
    ),
    (
        (4, 2, [([], ["住房城乡建设部", "国家发展改革委"])]),
        (5, 2, [(["住房城乡建设部"], ["国家文物局"])]),
    ),
)

# Top-level items are the tasks, each closed by its bracket; no parts at all.
TOP_LEVEL = Layout(
    "top-level",
    (
        "2024年优化营商环境重点任务分工",
        "一、深化“放管服”改革。全面推行证明事项告知承诺制（司法部会同有关部门负责）。",
        "二、降低企业用能成本。推进电力市场化交易（国家发展改革委、国家能源局牵头负责）。",
        "三、规范涉企收费。开展涉企收费专项检查（市场监管总局、财政部按职责分工负责）。",
    ),
    (
        (1, 1, [(["司法部"], ["有关部门"])]),
        (2, 1, [(["国家发展改革委", "国家能源局"], [])]),
        (3, 1, [([], ["市场监管总局", "财政部"])]),
    ),
)

# A new user's 2024 plan typed as a table: short names in one cell, the full name in
# another; a remark about a person after a unit; completion dates as offices type them.
TYPED = Layout(
    "typed",
    (
        "2024年交通法治工作台账",
        (
            ("序号", "工作任务", "牵头单位", "责任单位", "完成时限"),
            (
                "1",
                "修订行政处罚裁量基准",
                "局法规科（牵头领导：王副局长）",
                "执法支队",
                "2024.11.30",
            ),
            ("2", "开展执法案卷评查", "区交通执法支队", "局法规科", "2024年第三季度"),
            ("3", "落实行政执法公示", "区交通执法支队", "", "长期坚持"),
        ),
    ),
    (
        (1, 1, [(["局法规科"], ["区交通执法支队"])]),
        (2, 1, [(["区交通执法支队"], ["局法规科"])]),
        (3, 1, [(["区交通执法支队"], [])]),
    ),
)

# The lead rule stated in the preamble, then paragraphs with two brackets each.
RULE_IN_PREAMBLE = Layout(
    "rule-in-preamble",
    (
        "2024年数字政府建设重点任务分工",
        "本分工中，各项任务排在第一位的部门为牵头部门，其他为责任部门。",
        "一、夯实数据基础",
        "1.建设数据共享平台。完成平台建设（省大数据局、省发展改革委负责），"
        "接入政务数据（省大数据局负责）。",
        "2.健全数据标准。制定数据标准（省市场监管局、省大数据局负责）。",
        "二、提升服务能力",
        "3.推进一网通办。实现高频事项网上办（省政务服务办、各市人民政府负责）。",
    ),
    (
        (1, 1, [(["省大数据局"], ["省发展改革委"]), (["省大数据局"], [])]),
        (2, 1, [(["省市场监管局"], ["省大数据局"])]),
        (3, 2, [(["省政务服务办"], ["各市人民政府"])]),
    ),
)

LAYOUTS = (
    LABELS, BRACKETS, PHRASES, DEEP, TABLE, NUMBERING, CHECKLIST, INLINE, GROUPED_HEADER,
    DIVISION, PROVINCE, FRAMEWORK, TOP_LEVEL, TYPED, RULE_IN_PREAMBLE,
)  # fmt: skip
