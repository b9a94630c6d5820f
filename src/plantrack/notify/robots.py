"""Each office's digest, sent where offices already read: WeCom, DingTalk, Feishu or email.

Addresses, signing secrets and passwords come from the environment and are never printed:
messages name the office and the service, and whatever a server says back is cut short
and has every configured secret blanked out before it is shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import NamedTuple

from plantrack.core.digest import Digest
from plantrack.core.errors import UsageError
from plantrack.core.wording import chinese_date
from plantrack.notify.config import SERVICE_NAMES, Config, Mail, Robot, address_problem
from plantrack.notify.transport import MAX_REPLY, Undelivered, post_json, send_mail

# Bytes of message text per request. WeCom documents 4096 for markdown; DingTalk and Feishu
# allow more, but a digest split at the same size reads the same everywhere.
LIMITS = {"wecom": 4096, "dingtalk": 4096, "feishu": 4096, "email": 10**9}
PER_MINUTE = 20  # WeCom's limit per robot; the others are more generous
RETRIES = 3
SERVER_TEXT = 200  # characters of a server's own words shown in a failure


class Attachment(NamedTuple):
    """A file sent with a digest by mail: the office's form."""

    name: str
    data: bytes


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class Sent(NamedTuple):
    """What happened to one office's digest."""

    dept: str
    service: str
    messages: int
    error: str | None = None


def split(text: str, limit: int) -> list[str]:
    """Cut text at line ends into parts of at most limit bytes, numbered when there are several."""
    room = limit - len("（99/99）\n".encode())
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > room:  # a line too long on its own: cut between characters
            head = line.encode()[:room].decode("utf-8", "ignore")
            parts, current = _flush(parts, current), ""
            parts.append(head)
            line = line[len(head) :]
        if len((current + line).encode()) > room:
            parts, current = _flush(parts, current), ""
        current += line
    parts = _flush(parts, current)
    if len(parts) == 1:
        return parts
    return [f"（{i}/{len(parts)}）\n{part}" for i, part in enumerate(parts, start=1)]


def _flush(parts: list[str], current: str) -> list[str]:
    return [*parts, current] if current else parts


def chosen_robots(settings: Config, depts: list[str]) -> list[Robot]:
    """The configured robots of the offices named (all of them when none are named)."""
    robots = [r for r in settings.robots if not depts or r.dept in depts]
    if not robots:
        raise UsageError(f"配置中没有这些单位：{'、'.join(depts)}")
    return robots


def preview(found: Route, digest: Digest, attachment: Attachment | None = None) -> str:
    """What --dry-run shows for one office: where it would go, and each message."""
    robot = found.robot
    where = _where(robot) + (f"；附件 {attachment.name}" if attachment else "")
    where += f"；不能发送：{found.problem}" if found.problem else ""
    body = digest.text() if robot.service in ("email",) else digest.markdown()
    parts = split(body, LIMITS[robot.service])
    return (
        f"→ {digest.unit}：{SERVICE_NAMES[robot.service]}（{where}），{len(parts)} 条\n"
        + "\n".join(parts)
    )


def _where(robot: Robot) -> str:
    """Where a robot sends, said without its address or secrets."""
    if robot.service == "email":
        return "收件人 " + "、".join(robot.to)
    if robot.webhook_env:
        state = "已设置" if os.environ.get(robot.webhook_env) else "未设置"
        return f"地址取自环境变量 {robot.webhook_env}（{state}）"
    return "地址写在配置文件中"


@dataclass
class Route:
    """One office's destination with its address and secrets resolved, or why it has none."""

    robot: Robot
    url: str = ""
    secret: str = ""
    login: tuple[str, str] | None = None
    problem: str | None = None
    hidden: list[str] = field(default_factory=list)


def route(robot: Robot, settings: Config) -> Route:
    """Resolve and check where one office's digest goes, before anything is sent."""
    try:
        if robot.service == "email":
            return _mail_route(robot, settings.email)
        url = robot.webhook or _secret(robot.webhook_env, "机器人地址")
        problem = address_problem(url)
        if problem:
            where = f"环境变量 {robot.webhook_env} 中的" if robot.webhook_env else ""
            raise Undelivered(f"{where}机器人{problem}")
        if robot.secret_env and robot.service == "wecom":
            raise Undelivered("企业微信机器人不用加签：请删去 secret_env")
        secret = _secret(robot.secret_env, "加签密钥") if robot.secret_env else ""
        return Route(robot, url=url, secret=secret, hidden=_secrets_in(url, secret))
    except Undelivered as exc:
        return Route(robot, problem=exc.reason)


def _mail_route(robot: Robot, mail: Mail | None) -> Route:
    if mail is None:
        raise Undelivered("配置中没有 [email] 一节，无法发邮件")
    if not robot.to:
        raise Undelivered("没有写收件人（to）")
    if not mail.user_env:
        return Route(robot)
    login = (_secret(mail.user_env, "邮箱账号"), _secret(mail.password_env, "邮箱密码"))
    return Route(robot, login=login, hidden=[login[1]])


def _secret(name: str | None, what: str) -> str:
    value = os.environ.get(name) if name else None
    if not value:
        raise Undelivered(f"没有{what}：请设置环境变量 {name or '（配置中未写）'}")
    return value


def _secrets_in(url: str, secret: str) -> list[str]:
    """Every part of an address that works as a key: the query's values and long path parts."""
    parts = urllib.parse.urlsplit(url)
    values = [value for _, value in urllib.parse.parse_qsl(parts.query)]
    values += [part for part in parts.path.split("/") if len(part) >= 8]
    return [v for v in [url, parts.query, secret, *values] if v]


def send(
    found: Route,
    digest: Digest,
    settings: Config,
    *,
    run_deadline: float,
    attachment: Attachment | None = None,
) -> Sent:
    """Send one office its digest; a failure is a value, so the next office is still sent."""
    robot = found.robot
    service = SERVICE_NAMES[robot.service]
    who = f"{digest.unit}：{service}"
    if found.problem:
        return Sent(digest.unit, service, 0, f"{who} 未发送：{found.problem}")
    if time.monotonic() >= run_deadline:
        why = f"已超过本次运行的总时限 {settings.run_timeout:g} 秒"
        return Sent(digest.unit, service, 0, f"{who} 未发送：{why}")
    try:
        if robot.service == "email":
            count = _send_mail(found, digest, settings, run_deadline, attachment)
        else:
            count = _send_robot(found, digest, settings, run_deadline)
    except Undelivered as exc:
        return Sent(digest.unit, service, 0, f"{who} 发送失败：{blank(exc.reason, found.hidden)}")
    return Sent(digest.unit, service, count)


def blank(text: str, secrets: list[str]) -> str:
    """The text with every secret, as written or as URL-encoded, replaced by ***."""
    for secret in sorted(secrets, key=len, reverse=True):
        for form in {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}:
            text = text.replace(form, "***")
    return text


def _deadline(settings: Config, run_deadline: float) -> float:
    return min(time.monotonic() + settings.timeout, run_deadline)


def _send_robot(found: Route, digest: Digest, settings: Config, run_deadline: float) -> int:
    parts = split(digest.markdown(), LIMITS[found.robot.service])
    for index, part in enumerate(parts):
        if index and index % PER_MINUTE == 0:  # a robot takes at most PER_MINUTE a minute
            if time.monotonic() + 60 >= run_deadline:
                raise Undelivered(f"已发 {index} 条，其余 {len(parts) - index} 条会超过总时限")
            time.sleep(60)
        payload = _payload(found, part, digest)
        _deliver(found, payload, deadline=_deadline(settings, run_deadline))
    return len(parts)


def _payload(found: Route, text: str, digest: Digest) -> dict[str, object]:
    """The JSON body of one message, signed where the service asks for it."""
    title = f"{digest.unit}工作提醒"
    service = found.robot.service
    if service == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if service == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    payload: dict[str, object] = {"msg_type": "post", "content": {"post": feishu_post(title, text)}}
    if found.secret:
        timestamp = str(int(time.time()))
        payload = {"timestamp": timestamp, "sign": feishu_sign(timestamp, found.secret), **payload}
    return payload


def feishu_post(title: str, markdown: str) -> dict[str, object]:
    """A digest as Feishu rich text: a title, and a paragraph per line, headings in bold.

    Feishu shows Markdown typed into a text message as it is; its `post` message has
    paragraphs of text elements, and a text element can be bold.
    """
    paragraphs: list[list[dict[str, object]]] = []
    for line in markdown.splitlines():
        if line.startswith("### "):
            title = line[4:]  # the digest's heading is the post's title
            continue
        if not line.strip():
            continue
        if line.startswith("**") and line.endswith("**"):
            paragraphs.append([{"tag": "text", "text": line.strip("*"), "style": ["bold"]}])
        else:
            text = "• " + line[2:] if line.startswith("- ") else line
            paragraphs.append([{"tag": "text", "text": text}])
    return {"zh_cn": {"title": title, "content": paragraphs}}


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's signed address: HMAC-SHA256 of "timestamp\\nsecret", Base64, URL-encoded."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    sign = urllib.parse.quote_plus(base64.b64encode(digest.digest()).decode())
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def feishu_sign(timestamp: str, secret: str) -> str:
    """Feishu's signature: HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing, Base64."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _deliver(found: Route, payload: dict[str, object], *, deadline: float) -> None:
    """POST one message, retrying what may pass next time, until it is taken or the deadline."""
    wait = float(os.environ.get("PLANTRACK_RETRY_DELAY", "2"))
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    problem = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            pause = wait * 2 ** (attempt - 1)
            if time.monotonic() + pause >= deadline:
                break
            time.sleep(pause)
        url = found.url
        if found.robot.service == "dingtalk" and found.secret:
            url = dingtalk_signed(url, found.secret)  # signed afresh: DingTalk checks the time
        try:
            reply = post_json(url, body, deadline=deadline)
        except Undelivered as exc:
            problem = exc.reason
            if not exc.retry or time.monotonic() >= deadline:
                break
            continue
        if 300 <= reply.status < 400:
            raise Undelivered(
                f"服务器要求转到别的地址（HTTP {reply.status}）：为免把地址和密钥交给别处，"
                "没有跟随；请检查机器人地址"
            )
        if reply.status >= 500:
            problem = f"HTTP {reply.status}"
            continue
        if reply.status >= 400:
            raise Undelivered(f"HTTP {reply.status}{_server_said(reply.body, found)}")
        _check_reply(reply.body, found)
        return
    raise Undelivered(f"{problem}，已尝试 {attempt + 1} 次")


def _check_reply(data: bytes, found: Route) -> None:
    """WeCom and DingTalk answer errcode 0, Feishu code 0; anything else is a refusal."""
    if len(data) > MAX_REPLY:
        raise Undelivered(f"服务器的回复超过 {MAX_REPLY // 1024} KiB，无法确认是否送达")
    try:
        reply = json.loads(data or b"{}")
    except ValueError:
        return
    if not isinstance(reply, dict):
        return
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, None):
        message = reply.get("errmsg") or reply.get("msg") or ""
        raise Undelivered(f"被拒绝：错误码 {_cut(str(code))} {_said(str(message), found)}".rstrip())


def _server_said(data: bytes, found: Route) -> str:
    """A server's words about a refusal, secrets blanked and cut short; empty when it said none."""
    if len(data) > MAX_REPLY:
        return ""
    text = " ".join(data.decode("utf-8", "replace").split())
    return f"：{_said(text, found)}" if text else ""


def _said(text: str, found: Route) -> str:
    """A server's own words as a message may show them: secrets blanked first, then cut."""
    return _cut(blank(text, found.hidden))


def _cut(text: str) -> str:
    return text if len(text) <= SERVER_TEXT else text[:SERVER_TEXT] + "…"


def _send_mail(
    found: Route,
    digest: Digest,
    settings: Config,
    run_deadline: float,
    attachment: Attachment | None,
) -> int:
    mail = settings.email
    assert mail is not None  # route() says why an email office has no [email] section
    message = EmailMessage()
    subject = f"【{digest.unit}】工作提醒 {chinese_date(digest.as_of)}"
    message["Subject"] = " ".join(subject.split())
    message["From"] = mail.sender
    message["To"] = ", ".join(found.robot.to)
    message.set_content(digest.text())
    if attachment is not None:
        maintype, subtype = XLSX_TYPE
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.name
        )
    send_mail(
        message,
        host=mail.host,
        port=mail.port,
        starttls=mail.starttls,
        login=found.login,
        deadline=_deadline(settings, run_deadline),
    )
    return 1
