"""Digests sent to group robots and by email, against real servers on 127.0.0.1.

A small HTTP server stands in for WeCom, DingTalk and Feishu: it records every request,
checks DingTalk's and Feishu's signatures, and can fail with 500 once to test retries. An
aiosmtpd server with a certificate from trustme takes the email over STARTTLS. Nothing
leaves the machine.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import trustme
from aiosmtpd.controller import Controller

from helpers import Invoke
from plantrack.notify import robots as notify

SECRET = "SEC-test-secret-0123456789"
AS_OF = "2023-10-25"


class Robots(BaseHTTPRequestHandler):
    """/wecom, /dingtalk, /feishu: 200 with errcode 0; /flaky: 500 the first time."""

    received: ClassVar[list[tuple[str, dict[str, Any]]]] = []
    elsewhere: ClassVar[str] = ""
    failures: ClassVar[dict[str, int]] = {}
    bad_signatures: ClassVar[list[str]] = []
    bad_bodies: ClassVar[list[list[str]]] = []

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        path = url.path.strip("/")
        if path in MISBEHAVIOURS:
            Robots.received.append((path, body))
            MISBEHAVIOURS[path](self)
            return
        if path == "flaky" and Robots.failures.get(path, 0) < 1:
            Robots.failures[path] = Robots.failures.get(path, 0) + 1
            self._reply(500, {"errcode": -1})
            return
        if path == "dingtalk" and not _dingtalk_signed(urllib.parse.parse_qs(url.query)):
            Robots.bad_signatures.append(path)
        if path == "feishu" and not _feishu_signed(body):
            Robots.bad_signatures.append(path)
        if path.startswith("feishu") and _feishu_schema_problems(body):
            Robots.bad_bodies.append(_feishu_schema_problems(body))
        Robots.received.append((path, body))
        self._reply(200, {"code": 0} if path == "feishu" else {"errcode": 0, "errmsg": "ok"})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass  # keep the test output quiet


def _echo_address(handler: Robots) -> None:
    """Refuse, quoting the address the request was sent to, as some gateways do."""
    handler._reply(200, {"errcode": 93000, "errmsg": f"invalid webhook url {handler.path}"})


def _redirect(handler: Robots) -> None:
    """Send the client to another host, keeping the query (and so the key)."""
    handler.send_response(302)
    handler.send_header("Location", f"{Robots.elsewhere}/stolen?{handler.path.split('?')[1]}")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _trickle(handler: Robots) -> None:
    """Answer one byte at a time, slowly, for much longer than any deadline."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        try:
            handler.wfile.write(b"X")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.2)


def _huge(handler: Robots) -> None:
    """A reply far larger than any robot's answer."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(20 * 2**20))
    handler.end_headers()
    chunk = b" " * 2**16
    for _ in range(320):
        try:
            handler.wfile.write(chunk)
        except OSError:
            return


def _long_refusal(handler: Robots) -> None:
    handler._reply(200, {"errcode": 40001, "errmsg": "无效" * 3000 + "\x1b]0;pwn\x07"})


MISBEHAVIOURS: dict[str, Callable[[Robots], None]] = {
    "echo": _echo_address,
    "redirect": _redirect,
    "trickle": _trickle,
    "huge": _huge,
    "long": _long_refusal,
}


def _dingtalk_signed(query: dict[str, list[str]]) -> bool:
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256)
    return sign == base64.b64encode(expected.digest()).decode()


# Feishu's custom-robot message, as its documentation describes it: a msg_type, and for
# "post" a title and paragraphs of elements, per language.
FEISHU_MESSAGE_TYPES = {"text", "post", "image", "share_chat", "interactive"}
FEISHU_POST_TAGS = {
    "text": {"text"},
    "a": {"text", "href"},
    "at": {"user_id"},
    "img": {"image_key"},
}
FEISHU_TEXT_STYLES = {"bold", "underline", "lineThrough", "italic"}


def _feishu_schema_problems(body: dict[str, Any]) -> list[str]:
    """What in a robot message Feishu's schema does not allow (nothing: a valid message)."""
    problems = []
    kind = body.get("msg_type")
    if kind not in FEISHU_MESSAGE_TYPES:
        return [f"msg_type {kind!r}"]
    if kind != "post":
        return [] if isinstance(body.get("content", {}).get("text"), str) else ["text"]
    languages = body.get("content", {}).get("post")
    if not isinstance(languages, dict) or not languages:
        return ["content.post"]
    for language, post in languages.items():
        if language not in {"zh_cn", "en_us", "ja_jp"} or not isinstance(post.get("title"), str):
            problems.append(f"post.{language}")
        for paragraph in post.get("content", []):
            for element in paragraph if isinstance(paragraph, list) else [{}]:
                tag = element.get("tag") if isinstance(element, dict) else None
                if tag not in FEISHU_POST_TAGS or not FEISHU_POST_TAGS[tag] <= set(element):
                    problems.append(f"element {element!r}")
                elif not set(element.get("style", [])) <= FEISHU_TEXT_STYLES:
                    problems.append(f"style {element['style']!r}")
    return problems


def _feishu_signed(body: dict[str, Any]) -> bool:
    key = f"{body['timestamp']}\n{SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    return bool(body["sign"] == expected)


@pytest.fixture
def robots() -> Iterator[str]:
    """A robot server on 127.0.0.1; yields its base address."""
    Robots.received, Robots.failures, Robots.bad_signatures, Robots.bad_bodies = [], {}, [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robots)
    other = ThreadingHTTPServer(("127.0.0.1", 0), Robots)  # "another host", for redirects
    Robots.elsewhere = f"http://127.0.0.1:{other.server_address[1]}"
    for each in (server, other):
        threading.Thread(target=each.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    other.shutdown()


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def mailbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS, with a certificate we trust."""
    with mailbox_server(tmp_path, monkeypatch) as found:
        yield found


@contextlib.contextmanager
def mailbox_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Mailbox, int]]:
    """Run an SMTP server on 127.0.0.1 that requires STARTTLS, with a certificate we trust."""
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    box = Mailbox()
    port = _free_port()  # aiosmtpd's controller cannot be given port 0
    controller = Controller(
        box, hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True
    )
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(tmp_path: Path, base: str, smtp_port: int = 1) -> Path:
    config = tmp_path / "notify.toml"
    config.write_text(
        f"""
[[robots]]
dept = "法规科"
service = "wecom"
webhook_env = "TEST_WECOM"

[[robots]]
dept = "安监科"
service = "dingtalk"
webhook_env = "TEST_DINGTALK"
secret_env = "TEST_SECRET"

[[robots]]
dept = "执法支队"
service = "feishu"
webhook_env = "TEST_FEISHU"
secret_env = "TEST_SECRET"

[[robots]]
dept = "办公室"
service = "email"
to = ["bangongshi@example.invalid"]

[email]
host = "127.0.0.1"
port = {smtp_port}
from = "plantrack@example.invalid"
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def environment(robots: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEST_WECOM", f"{robots}/wecom?key=KEY-wecom-secret")
    monkeypatch.setenv("TEST_DINGTALK", f"{robots}/dingtalk?access_token=TOKEN-secret")
    monkeypatch.setenv("TEST_FEISHU", f"{robots}/feishu/hook/HOOK-secret")
    monkeypatch.setenv("TEST_SECRET", SECRET)
    monkeypatch.setenv("PLANTRACK_RETRY_DELAY", "0.01")
    return robots


def test_dry_run_prints_one_message_per_office_and_no_secret(
    cli: Invoke, tmp_path: Path, environment: str
) -> None:
    config = write_config(tmp_path, environment)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dry-run")
    out = result.stdout
    assert out.count("→ ") == 4
    for office in (
        "局法规科：企业微信",
        "局安监科：钉钉",
        "区交通执法支队：飞书",
        "局办公室：邮件",
    ):
        assert office in out
    assert "【局法规科】工作提醒（截至2023年10月25日）" in out
    assert "地址取自环境变量 TEST_WECOM（已设置）" in out
    for secret in ("KEY-wecom-secret", "TOKEN-secret", "HOOK-secret", SECRET, "127.0.0.1"):
        assert secret not in result.output
    assert Robots.received == []  # nothing was sent


def test_every_office_gets_its_message_once(
    cli: Invoke, tmp_path: Path, environment: str, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    config = write_config(tmp_path, environment, port)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF)
    assert result.stdout.count("已发送：") == 4
    assert sorted(path for path, _ in Robots.received) == [
        "dingtalk",
        "feishu/hook/HOOK-secret",
        "wecom",
    ]
    assert Robots.bad_signatures == []  # DingTalk and Feishu signatures checked by the server
    bodies = dict(Robots.received)
    wecom = bodies["wecom"]["markdown"]["content"]
    assert wecom.startswith("### 【局法规科】工作提醒") and len(wecom.encode()) <= 4096
    assert bodies["dingtalk"]["markdown"]["title"] == "局安监科工作提醒"
    feishu = bodies["feishu/hook/HOOK-secret"]
    assert Robots.bad_bodies == [] and feishu["msg_type"] == "post"
    post = feishu["content"]["post"]["zh_cn"]
    assert post["title"].startswith("【区交通执法支队】工作提醒")
    assert "###" not in json.dumps(post, ensure_ascii=False)  # no Markdown shown as typed
    heading = "本季度（2023年第四季度）还须完成的其余事项 6 项"
    assert {"tag": "text", "text": heading, "style": ["bold"]} in [p[0] for p in post["content"]]
    [mail] = box.messages
    assert mail["To"] == "bangongshi@example.invalid"
    assert "【局办公室】工作提醒" in str(mail.get_payload(decode=True).decode("utf-8"))


def test_a_server_error_is_retried_and_delivered_once(
    cli: Invoke, tmp_path: Path, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_WECOM", f"{environment}/flaky?key=KEY-wecom-secret")
    config = write_config(tmp_path, environment)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dept", "法规科")
    assert result.stdout == "已发送：局法规科（企业微信，1 条）\n"
    assert Robots.failures == {"flaky": 1}
    assert [path for path, _ in Robots.received] == ["flaky"]


def test_a_failure_names_the_office_not_the_address(
    cli: Invoke, tmp_path: Path, robots: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTRACK_RETRY_DELAY", "0.01")
    monkeypatch.setenv("TEST_WECOM", "http://127.0.0.1:9/wecom?key=KEY-wecom-secret")  # closed
    config = write_config(tmp_path, robots)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dept", "法规科", code=1)
    assert "局法规科：企业微信 发送失败：连接失败" in result.stderr
    assert "KEY-wecom-secret" not in result.output and "127.0.0.1" not in result.output


def test_a_missing_secret_is_named_by_its_variable(
    cli: Invoke, tmp_path: Path, robots: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_WECOM", raising=False)
    config = write_config(tmp_path, robots)
    err = cli(
        "notify", "--config", str(config), "--as-of", AS_OF, "--dept", "法规科", code=1
    ).stderr
    assert "请设置环境变量 TEST_WECOM" in err


def test_long_digests_are_split_within_the_limit() -> None:
    text = "".join(f"- 第{i}行：任务“落实法治工作信息报送制度”的一项时限\n" for i in range(400))
    parts = notify.split(text, 4096)
    assert len(parts) > 1
    assert all(len(part.encode()) <= 4096 for part in parts)
    assert parts[0].startswith(f"（1/{len(parts)}）\n")
    assert "".join(p.split("\n", 1)[1] for p in parts) == text  # nothing lost or repeated


def test_signatures_follow_the_services_rules() -> None:
    signed = notify.dingtalk_signed(
        "https://x/robot/send?access_token=t", SECRET, 1_700_000_000_000
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert query["timestamp"] == ["1700000000000"] and _dingtalk_signed(query)
    assert _feishu_signed(
        {"timestamp": "1700000000", "sign": notify.feishu_sign("1700000000", SECRET)}
    )


def test_digest_command_prints_plain_and_markdown(cli: Invoke) -> None:
    text = cli("digest", "--dept", "法规科", "--as-of", AS_OF).stdout
    assert text.startswith("【局法规科】工作提醒（截至2023年10月25日）\n已逾期 5 项\n")
    assert "· 10月31日 任务13“统筹推进专项整治工作”：完成阶段性专项整治任务（还剩 6 天）" in text
    markdown = cli("digest", "--dept", "安监科", "--as-of", AS_OF, "--markdown").stdout
    assert markdown.startswith("### 【局安监科】")
    assert "年底前完成的年度任务 2 项：任务14.2、22.1" in markdown


def _send_to(
    cli: Invoke, tmp_path: Path, environment: str, monkeypatch: pytest.MonkeyPatch, path: str
) -> tuple[str, float]:
    """Send 法规科 its digest at environment/path with a 1-second deadline: (stderr, seconds)."""
    monkeypatch.setenv("TEST_WECOM", f"{environment}/{path}?key=KEY-wecom-secret")
    config = write_config(tmp_path, environment)
    config.write_text("timeout = 1\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.monotonic()
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dept", "法规科", code=1)
    assert "KEY-wecom-secret" not in result.output
    return result.stderr, time.monotonic() - started


def test_an_address_with_a_space_is_refused_without_showing_it_and_the_rest_are_sent(
    cli: Invoke, tmp_path: Path, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_WECOM", f"{environment}/cgi-bin/webhook/send ?key=693a-SECRET")
    config = write_config(tmp_path, environment)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, code=1)
    assert "局法规科：企业微信 未发送：环境变量 TEST_WECOM 中的机器人地址中有空格" in result.stderr
    assert "693a" not in result.output and "webhook/send" not in result.output
    assert sorted(path for path, _ in Robots.received) == ["dingtalk", "feishu/hook/HOOK-secret"]
    assert "共 4 个单位：已发送 2 个，未送达 2 个（局法规科、局办公室）" in result.stdout


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("http://127.0.0.1:99999/x?key=KEY-wecom-secret", "端口无效"),
        ("http://127.0.0.1:8o/x?key=KEY-wecom-secret", "端口无效"),
        ("http://例子..中国/x?key=KEY-wecom-secret", "主机名无效"),
        ("ftp://127.0.0.1/x?key=KEY-wecom-secret", "应以 https:// 开头"),
        ("http://127.0.0.1/x?key=KEY-wecom-secret\n", "换行"),
    ],
)
def test_a_malformed_address_is_said_in_chinese_not_a_crash(
    cli: Invoke,
    tmp_path: Path,
    robots: str,
    monkeypatch: pytest.MonkeyPatch,
    address: str,
    said: str,
) -> None:
    monkeypatch.setenv("TEST_WECOM", address)
    config = write_config(tmp_path, robots)
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dept", "法规科", code=1)
    assert said in result.stderr and "KEY-wecom-secret" not in result.output


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ('to = ["a@example.cn\\nBcc: all@example.cn"]', "邮箱地址"),
        ('to = ["not an address"]', "邮箱地址"),
        ('webhook = "http://x:port/y?key=KEY-wecom-secret"', "端口无效"),
    ],
)
def test_a_bad_setting_in_the_file_names_its_section(
    cli: Invoke, tmp_path: Path, setting: str, said: str
) -> None:
    config = tmp_path / "notify.toml"
    config.write_text(
        f'[[robots]]\ndept = "法规科"\nservice = "email"\n{setting}\n', encoding="utf-8"
    )
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, code=1)
    assert "第 1 个 [[robots]]（法规科）：" in result.stderr and said in result.stderr
    assert "KEY-wecom-secret" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("misbehaviour", "said"),
    [
        ("echo", "被拒绝：错误码 93000 invalid webhook url /echo?***"),  # the key blanked
        ("redirect", "服务器要求转到别的地址（HTTP 302）"),  # not followed
        ("trickle", "发送失败：超时"),  # cut off at the 1-second deadline, not after 20 s
        ("huge", "服务器的回复超过 64 KiB，无法确认是否送达"),  # not read whole
    ],
)
def test_a_misbehaving_server_is_cut_short_and_never_gets_the_key_elsewhere(
    cli: Invoke,
    tmp_path: Path,
    environment: str,
    monkeypatch: pytest.MonkeyPatch,
    misbehaviour: str,
    said: str,
) -> None:
    err, seconds = _send_to(cli, tmp_path, environment, monkeypatch, misbehaviour)
    assert "局法规科：企业微信 发送失败：" in err and said in err
    assert [path for path, _ in Robots.received] == [misbehaviour]  # the other host got nothing
    assert seconds < 5


def test_a_long_refusal_is_cut_short_and_cannot_command_the_terminal(
    cli: Invoke, tmp_path: Path, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    err, _ = _send_to(cli, tmp_path, environment, monkeypatch, "long")
    [line] = [line for line in err.splitlines() if "错误码 40001" in line]
    assert len(line) < 300 and line.endswith("…")
    assert "\x1b" not in err


def test_an_smtp_server_that_trickles_is_cut_off_at_the_deadline(
    cli: Invoke, tmp_path: Path, robots: str
) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            while not stop.wait(0.2):
                try:
                    connection.sendall(b"2")
                except OSError:
                    return

    threading.Thread(target=trickle, daemon=True).start()
    config = write_config(tmp_path, robots, listener.getsockname()[1])
    config.write_text("timeout = 1\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.monotonic()
    result = cli("notify", "--config", str(config), "--as-of", AS_OF, "--dept", "办公室", code=1)
    stop.set()
    listener.close()
    assert "局办公室：邮件 发送失败：超时" in result.stderr
    assert time.monotonic() - started < 5
