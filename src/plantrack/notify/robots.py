"""Each office's digest, sent where offices already read: WeCom, DingTalk, Feishu or email.

Where to send comes from a config file that names environment variables, so webhooks,
signing secrets and passwords live in the environment (CI secrets), never in the plan,
and are never printed: messages name the office and the service, not the address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plantrack.core.digest import Digest
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.wording import chinese_date

Service = Literal["wecom", "dingtalk", "feishu", "email"]
SERVICE_NAMES = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "邮件"}
# Bytes of message text per request. WeCom documents 4096 for markdown; DingTalk and Feishu
# allow more, but a digest split at the same size reads the same everywhere.
LIMITS = {"wecom": 4096, "dingtalk": 4096, "feishu": 4096, "email": 10**9}
PER_MINUTE = 20  # WeCom's limit per robot; the others are more generous
RETRIES = 3
CONFIG_NAME = "plantrack-notify.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Robot(_Strict):
    """Where one office's digest goes."""

    dept: str
    service: Service
    webhook: str | None = Field(default=None, description="机器人地址（不建议写在文件里）")
    webhook_env: str | None = Field(default=None, description="存放机器人地址的环境变量")
    secret_env: str | None = Field(default=None, description="钉钉、飞书加签密钥的环境变量")
    to: list[str] = Field(default_factory=list, description="邮件收件人")


class Mail(_Strict):
    """The SMTP server offices' email goes through."""

    host: str
    port: int = 587
    sender: str = Field(alias="from")
    user_env: str | None = None
    password_env: str | None = None
    starttls: bool = True

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Config(_Strict):
    """The notify configuration file."""

    within: str | None = None
    robots: list[Robot] = Field(min_length=1)
    email: Mail | None = None


class Sent(NamedTuple):
    """What happened to one office's digest."""

    dept: str
    service: str
    messages: int
    error: str | None = None


def load_config(path: Path | None) -> tuple[Path, Config]:
    """Read the configuration: --config, $PLANTRACK_NOTIFY_CONFIG, or plantrack-notify.toml."""
    chosen = path or Path(os.environ.get("PLANTRACK_NOTIFY_CONFIG", CONFIG_NAME))
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{chosen}: 找不到通知配置文件。请用 --config 指定，格式见 README“发给各科室”一节"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlantrackError(f"{chosen}: 无法读取：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlantrackError(f"{chosen}: TOML 格式错误：{exc}") from None
    try:
        return chosen, Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PlantrackError(f"{chosen}: {where}：{first['msg']}") from None


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


def preview(robot: Robot, digest: Digest) -> str:
    """What --dry-run shows for one office: where it would go, and each message."""
    where = _where(robot)
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


def send(robot: Robot, digest: Digest, settings: Config) -> Sent:
    """Send one office its digest; a failure is a value, so the next office is still sent."""
    service = SERVICE_NAMES[robot.service]
    try:
        if robot.service == "email":
            count = _send_mail(robot, digest, settings.email)
        else:
            count = _send_robot(robot, digest)
    except PlantrackError as exc:
        return Sent(digest.unit, service, 0, str(exc))
    return Sent(digest.unit, service, count)


def _secret(name: str | None, what: str, dept: str) -> str:
    value = os.environ.get(name) if name else None
    if not value:
        raise PlantrackError(f"{dept}：没有{what}：请设置环境变量 {name or '（配置中未写）'}")
    return value


def _send_robot(robot: Robot, digest: Digest) -> int:
    url = robot.webhook or _secret(robot.webhook_env, "机器人地址", digest.unit)
    parts = split(digest.markdown(), LIMITS[robot.service])
    for index, part in enumerate(parts):
        if index and index % PER_MINUTE == 0:
            time.sleep(60)  # a robot takes at most PER_MINUTE messages a minute
        target, payload = _request(robot, url, part, digest)
        _post(target, payload, f"{digest.unit}：{SERVICE_NAMES[robot.service]}")
    return len(parts)


def _request(robot: Robot, url: str, text: str, digest: Digest) -> tuple[str, dict[str, object]]:
    """The address and JSON body of one message, signed where the service asks for it."""
    title = f"{digest.unit}工作提醒"
    if robot.service == "wecom":
        return url, {"msgtype": "markdown", "markdown": {"content": text}}
    if robot.service == "dingtalk":
        if robot.secret_env:
            url = dingtalk_signed(url, _secret(robot.secret_env, "钉钉加签密钥", digest.unit))
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    payload: dict[str, object] = {"msg_type": "post", "content": {"post": feishu_post(title, text)}}
    if robot.secret_env:
        secret = _secret(robot.secret_env, "飞书加签密钥", digest.unit)
        timestamp = str(int(time.time()))
        payload = {"timestamp": timestamp, "sign": feishu_sign(timestamp, secret), **payload}
    return url, payload


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


def _post(url: str, payload: dict[str, object], who: str, *, delay: float | None = None) -> None:
    """POST JSON, retrying server errors with back-off; say what failed without the address."""
    wait = delay if delay is not None else float(os.environ.get("PLANTRACK_RETRY_DELAY", "2"))
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    problem = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(wait * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                _check_reply(response.read(), who)
                return
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code < 500:
                break  # the request itself is wrong: sending it again will not help
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = f"连接失败（{type(reason).__name__}）"
    raise PlantrackError(f"{who} 发送失败：{problem}，已尝试 {attempt + 1} 次")


def _check_reply(data: bytes, who: str) -> None:
    """WeCom and DingTalk answer errcode 0, Feishu code 0; anything else is a refusal."""
    try:
        reply = json.loads(data or b"{}")
    except ValueError:
        return
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, None):
        message = reply.get("errmsg") or reply.get("msg") or ""
        raise PlantrackError(f"{who} 被拒绝：错误码 {code} {message}".rstrip())


def _send_mail(robot: Robot, digest: Digest, mail: Mail | None) -> int:
    if mail is None:
        raise PlantrackError(f"{digest.unit}：配置中没有 [email] 一节，无法发邮件")
    if not robot.to:
        raise PlantrackError(f"{digest.unit}：没有写收件人（to）")
    message = EmailMessage()
    message["Subject"] = f"【{digest.unit}】工作提醒 {chinese_date(digest.as_of)}"
    message["From"] = mail.sender
    message["To"] = ", ".join(robot.to)
    message.set_content(digest.text())
    try:
        with smtplib.SMTP(mail.host, mail.port, timeout=30) as server:
            if mail.starttls:
                server.starttls(context=ssl.create_default_context())
            if mail.user_env:
                user = _secret(mail.user_env, "邮箱账号", digest.unit)
                server.login(user, _secret(mail.password_env, "邮箱密码", digest.unit))
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise PlantrackError(f"{digest.unit}：邮件发送失败（{type(exc).__name__}）") from None
    return 1
