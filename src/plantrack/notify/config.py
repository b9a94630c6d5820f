"""The notify configuration: which office's digest goes where, checked before anything is sent.

The file names environment variables, so webhooks, signing secrets and passwords live in
the environment (CI secrets), never in the plan. Every problem is said in Chinese by the
office it concerns, and never repeats an address: an address's query holds its key.
"""

from __future__ import annotations

import os
import re
import tomllib
import urllib.parse
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from plantrack.core.errors import PlantrackError, UsageError
from plantrack.notify.transport import Undelivered, host_for_socket
from plantrack.planfile.messages import validation

Service = Literal["wecom", "dingtalk", "feishu", "email"]
SERVICE_NAMES = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "邮件"}
CONFIG_NAME = "plantrack-notify.toml"
_MAILBOX = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")
_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _mailbox(value: str) -> str:
    if not _MAILBOX.fullmatch(value):
        raise ValueError(
            f"邮箱地址“{value.encode('unicode_escape').decode()}”写法不对，例如 a@example.cn"
        )
    return value


class Robot(_Strict):
    """Where one office's digest goes."""

    dept: str
    service: Service
    webhook: str | None = Field(default=None, description="机器人地址（不建议写在文件里）")
    webhook_env: str | None = Field(default=None, description="存放机器人地址的环境变量")
    secret_env: str | None = Field(default=None, description="钉钉、飞书加签密钥的环境变量")
    to: list[str] = Field(default_factory=list, description="邮件收件人")
    attach_form: bool = Field(default=False, description="邮件附上该单位本季度的进展填报表")

    @model_validator(mode="after")
    def _attachment_by_mail(self) -> Robot:
        if self.attach_form and self.service != "email":
            raise ValueError(
                'attach_form 只用于邮件（service = "email"）：企业微信、钉钉、飞书机器人不能发附件'
            )
        return self

    @field_validator("webhook")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        problem = address_problem(value) if value is not None else None
        if problem:
            raise ValueError(f"webhook {problem}")
        return value

    @field_validator("to")
    @classmethod
    def _recipients(cls, value: list[str]) -> list[str]:
        return [_mailbox(address) for address in value]


class Mail(_Strict):
    """The SMTP server offices' email goes through."""

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    sender: str = Field(alias="from")
    user_env: str | None = None
    password_env: str | None = None
    starttls: bool = True

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value or _BLANK_OR_CONTROL.search(value):
            raise ValueError("host 不能为空，也不能含空格或控制字符")
        try:
            host_for_socket(value)
        except Undelivered:
            raise ValueError("host 不是有效的主机名") from None
        return value

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return _mailbox(value)


class Config(_Strict):
    """The notify configuration file."""

    within: str | None = None
    timeout: float = Field(default=60, gt=0, le=3600, description="每条消息最多等多少秒")
    run_timeout: float = Field(default=1800, gt=0, description="整次发送最多多少秒")
    robots: list[Robot] = Field(min_length=1)
    email: Mail | None = None


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
        raise PlantrackError(f"{chosen}: 无法读取（{type(exc).__name__}）") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlantrackError(f"{chosen}: TOML 格式错误：{exc}") from None
    try:
        return chosen, Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise PlantrackError(f"{chosen}: {_where(first['loc'], data)}{validation(first)}") from None


def _where(loc: tuple[int | str, ...], data: dict[str, object]) -> str:
    """Which section of the file a problem is in: the nth [[robots]] and its office."""
    if len(loc) >= 2 and loc[0] == "robots" and isinstance(loc[1], int):
        robots = data.get("robots")
        entry = robots[loc[1]] if isinstance(robots, list) and loc[1] < len(robots) else {}
        dept = entry.get("dept") if isinstance(entry, dict) else None
        return (
            f"第 {loc[1] + 1} 个 [[robots]]"
            + (f"（{dept}）" if isinstance(dept, str) else "")
            + "："
        )
    if loc and loc[0] == "email":
        return "[email]："
    return ""


def address_problem(url: str) -> str | None:
    """What is wrong with a robot address, worded without repeating it; None when it is usable."""
    if _BLANK_OR_CONTROL.search(url):
        return "地址中有空格、换行或控制字符：请检查是否复制时多带了字符"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http"):
        return "地址应以 https:// 开头"
    try:
        parts.port  # noqa: B018 — urllib checks the port only when it is read
    except ValueError:
        return "地址中的端口无效"
    if not parts.hostname:
        return "地址中没有主机名"
    try:
        host_for_socket(parts.hostname)
    except Undelivered:
        return "地址中的主机名无效"
    if not (parts.path + parts.query).isascii():
        return "地址的路径中有非 ASCII 字符：请用机器人设置页给出的原样地址"
    return None
