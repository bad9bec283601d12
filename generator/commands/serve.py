"""`budgetgen serve` (the workbench) and `budgetgen user add|unlock` (its accounts from the shell)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from generator.errors import UsageError

# The examples of inputs/ for --demo: a link to them in the source tree, their copies in the wheel
EXAMPLES = Path(__file__).resolve().parents[1] / "workbench" / "demo"


def _start(data: Path, db: str | None, host: str | None = None) -> None:
    try:
        import django  # noqa: F401
    except ImportError:
        raise UsageError("未安装工作台所需的软件包：pip install 'budgetgen[workbench]'",
                         "the workbench is not installed: pip install 'budgetgen[workbench]'") from None
    from generator.workbench.server import configure, migrate

    configure(data, db, host=host)
    migrate()


def run(data: Path, db: str | None, host: str, port: int, *, demo: bool = False) -> int:
    _start(data, db, host)
    if demo:
        from generator.workbench.accounts import demo as fill

        if not EXAMPLES.is_dir() or not any(EXAMPLES.glob("*.yaml")):
            raise UsageError(f"找不到演示数据（{EXAMPLES} 中的示例输入）：请重新安装 budgetgen，或在源码目录中运行",
                             f"the demo inputs are missing from {EXAMPLES}: reinstall budgetgen, or run from "
                             "the source tree (where it links to inputs/)")
        for username, role, password in fill(EXAMPLES):
            print(f"演示账号 demo account: {username}  {role}  密码 password: {password}")
    from generator.workbench.server import serve

    print(f"预算公开工作台 workbench: http://{host}:{port}/  (Ctrl+C 停止 stop)", flush=True)
    serve(host, port)
    return 0


def add_user(data: Path, db: str | None, username: str, role: str, department: str | None,
             password_stdin: bool) -> int:
    _start(data, db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码 password: ")
        if getpass.getpass("再输入一次 again: ") != password:
            raise UsageError("两次输入的密码不一致", "the passwords differ")
    from generator.workbench.accounts import add_user as add

    add(username, role, password, department)
    print(f"已创建用户 created: {username}（{role}）")
    return 0


def unlock_user(data: Path, db: str | None, username: str) -> int:
    """End the login lock of a user name (five failed logins lock it for 15 minutes)."""
    _start(data, db)
    from generator.workbench.accounts import unlock

    removed = unlock(username, by=f"命令行 shell: {getpass.getuser()}")
    if removed:
        print(f"已解除 {username} 的登录锁定，清除 {removed} 次登录失败 / unlocked {username} ({removed} failed logins)")
    else:
        print(f"{username} 没有登录失败记录，无需解除 / {username} has no failed logins: nothing to unlock")
    return 0
